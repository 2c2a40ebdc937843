//! POSIX regular expressions for `grep`, `sed`, `awk`, `expr` and `[[ =~ ]]`: basic (BRE)
//! and extended (ERE) syntax with the GNU extensions scripts use (`\+ \? \|` in BRE,
//! `\w \s \b \< \>`, back-references).
//!
//! Invariants: matching is a backtracking VM over a compiled program with a visited set
//! of (instruction, position) pairs, so without back-references it is
//! O(program × text); with them a step cap ends the search. Among matches starting at
//! the leftmost position the longest wins, as POSIX asks.

use super::pattern::class_matches;

/// Program size limit (bounded repetition expands copies).
const MAX_PROGRAM: usize = 50_000;
/// Step cap per search when back-references disable the visited set.
const MAX_STEPS: usize = 2_000_000;

#[derive(Debug, Clone, PartialEq)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Named(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

impl Class {
    fn matches(&self, c: char, icase: bool) -> bool {
        let test = |c: char| {
            self.items.iter().any(|it| match it {
                ClassItem::Char(x) => *x == c,
                ClassItem::Range(a, b) => *a <= c && c <= *b,
                ClassItem::Named(n) => class_matches(n, c),
            })
        };
        let hit = if icase {
            test(c) || test(c.to_ascii_lowercase()) || test(c.to_ascii_uppercase())
        } else {
            test(c)
        };
        hit != self.negated
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Char(char),
    Any,
    Class(Class),
    Bol,
    Eol,
    WordB,
    NotWordB,
    WordStart,
    WordEnd,
    Group(Box<Node>, Option<usize>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
    Backref(usize),
}

#[derive(Debug, Clone, PartialEq)]
enum Inst {
    Char(char),
    Any,
    Class(Class),
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    Bol,
    Eol,
    WordB,
    NotWordB,
    WordStart,
    WordEnd,
    Backref(usize),
    Match,
}

/// A compiled regular expression.
#[derive(Debug, Clone)]
pub struct Regex {
    prog: Vec<Inst>,
    groups: usize,
    icase: bool,
    has_backrefs: bool,
}

/// Capture positions in bytes: index 0 is the whole match.
pub type Captures = Vec<Option<(usize, usize)>>;

impl Regex {
    /// Compiles `pattern` (ERE if `extended`, else BRE).
    pub fn new(pattern: &str, extended: bool, icase: bool) -> Result<Regex, String> {
        let unmatched = if extended {
            "Unmatched ) or \\)"
        } else {
            "Unmatched \\)"
        };
        let (node, groups) = Self::parse(pattern, extended, false, unmatched)?;
        Self::build(node, groups, icase)
    }

    /// Compiles an awk regular expression (ERE where `\` escapes inside brackets too).
    pub fn new_awk(pattern: &str) -> Result<Regex, String> {
        let (node, groups) =
            Self::parse(pattern, true, true, "syntax error in regular expression")?;
        Self::build(node, groups, false)
    }

    /// The whole pattern's syntax tree and its group count; `unmatched` is the error when a
    /// closing parenthesis ends the pattern early.
    fn parse(
        pattern: &str,
        ere: bool,
        awk: bool,
        unmatched: &str,
    ) -> Result<(Node, usize), String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut p = Parser {
            s: &chars,
            i: 0,
            ere,
            groups: 0,
            depth: 0,
            awk,
            guard: super::stack::StackGuard::new(super::stack::LEAF_STACK),
        };
        let node = p.alt()?;
        if p.i < chars.len() {
            return Err(unmatched.to_string());
        }
        Ok((node, p.groups))
    }

    fn build(node: Node, groups: usize, icase: bool) -> Result<Regex, String> {
        let mut c = Compiler { prog: Vec::new() };
        c.prog.push(Inst::Save(0));
        c.node(&node)?;
        c.prog.push(Inst::Save(1));
        c.prog.push(Inst::Match);
        let has_backrefs = c.prog.iter().any(|i| matches!(i, Inst::Backref(_)));
        Ok(Regex {
            prog: c.prog,
            groups,
            icase,
            has_backrefs,
        })
    }

    pub fn groups(&self) -> usize {
        self.groups
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.captures(text, 0).is_some()
    }

    /// The leftmost-longest match at or after byte `start`: `(start, end)` in bytes.
    pub fn find(&self, text: &str, start: usize) -> Option<(usize, usize)> {
        self.captures(text, start)
            .and_then(|c| c.first().copied().flatten())
    }

    /// Captures of the leftmost-longest match at or after byte `start`.
    pub fn captures(&self, text: &str, start: usize) -> Option<Captures> {
        let chars: Vec<char> = text.chars().collect();
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        let first = offsets.iter().position(|&o| o >= start)?;
        let caps = self.captures_chars(&chars, first)?;
        Some(
            caps.into_iter()
                .map(|g| g.map(|(a, b)| (offsets[a], offsets[b])))
                .collect(),
        )
    }

    /// Like [`Regex::captures`] on a char slice; positions are char indices.
    pub fn captures_chars(&self, chars: &[char], first: usize) -> Option<Captures> {
        let mut vm = Vm {
            re: self,
            s: chars,
            visited: if self.has_backrefs {
                Vec::new()
            } else {
                vec![0u64; (self.prog.len() * (chars.len() + 1)).div_ceil(64)]
            },
            steps: 0,
        };
        for pos in first..=chars.len() {
            if let Some(caps) = vm.run(pos) {
                return Some(caps);
            }
            if vm.steps > MAX_STEPS {
                return None;
            }
        }
        None
    }
}

struct Parser<'a> {
    s: &'a [char],
    i: usize,
    ere: bool,
    groups: usize,
    depth: usize,
    awk: bool,
    guard: super::stack::StackGuard,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn peek2(&self) -> Option<char> {
        self.s.get(self.i + 1).copied()
    }

    fn at_alt(&self) -> bool {
        if self.ere {
            self.peek() == Some('|')
        } else {
            self.peek() == Some('\\') && self.peek2() == Some('|')
        }
    }

    fn at_close(&self) -> bool {
        if self.ere {
            self.peek() == Some(')') && self.depth > 0
        } else {
            self.peek() == Some('\\') && self.peek2() == Some(')')
        }
    }

    fn alt(&mut self) -> Result<Node, String> {
        let mut alts = vec![self.concat()?];
        while self.at_alt() {
            self.i += if self.ere { 1 } else { 2 };
            alts.push(self.concat()?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Concat(Vec::new()))
        } else {
            Node::Alt(alts)
        })
    }

    fn concat(&mut self) -> Result<Node, String> {
        let mut items: Vec<Node> = Vec::new();
        let start = self.i;
        while self.i < self.s.len() && !self.at_alt() && !self.at_close() {
            let c = self.s[self.i];
            // BRE: `*` at the start is literal; `^` anchors only at the start.
            let at_start = self.i == start;
            let atom = match c {
                '^' if self.ere || at_start => {
                    self.i += 1;
                    Node::Bol
                }
                '$' if self.ere || self.at_bre_end() => {
                    self.i += 1;
                    Node::Eol
                }
                '*' if at_start || (!self.ere && matches!(items.last(), Some(Node::Bol))) => {
                    self.i += 1;
                    Node::Char('*')
                }
                _ => self.atom()?,
            };
            let atom = self.quantifiers(atom)?;
            items.push(atom);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::Concat(Vec::new()))
        } else {
            Node::Concat(items)
        })
    }

    fn at_bre_end(&self) -> bool {
        let n = self.i + 1;
        n >= self.s.len()
            || (self.s[n] == '\\' && matches!(self.s.get(n + 1), Some(')') | Some('|')))
    }

    fn quantifiers(&mut self, mut atom: Node) -> Result<Node, String> {
        loop {
            let (min, max, len) = match (self.peek(), self.peek2()) {
                (Some('*'), _) => (0, None, 1),
                (Some('+'), _) if self.ere => (1, None, 1),
                (Some('?'), _) if self.ere => (0, Some(1), 1),
                (Some('\\'), Some('+')) if !self.ere => (1, None, 2),
                (Some('\\'), Some('?')) if !self.ere => (0, Some(1), 2),
                (Some('{'), _) if self.ere => match self.interval(self.i + 1)? {
                    Some((a, b, end)) => (a, b, end - self.i),
                    None => break,
                },
                (Some('\\'), Some('{')) if !self.ere => match self.interval(self.i + 2)? {
                    Some((a, b, end)) => (a, b, end - self.i),
                    None => return Err("Invalid preceding regular expression".to_string()),
                },
                _ => break,
            };
            self.i += len;
            if matches!(atom, Node::Bol | Node::Eol) {
                continue;
            }
            atom = Node::Repeat(Box::new(atom), min, max);
        }
        Ok(atom)
    }

    /// Parses `m`, `m,`, `m,n` followed by `}` (ERE) or `\}` (BRE) starting at `at`.
    /// Returns the bounds and the index after the closing brace.
    fn interval(&self, at: usize) -> Result<Option<(u32, Option<u32>, usize)>, String> {
        let mut j = at;
        let num = |j: &mut usize| -> Option<u32> {
            let st = *j;
            while *j < self.s.len() && self.s[*j].is_ascii_digit() {
                *j += 1;
            }
            if *j == st {
                return None;
            }
            self.s[st..*j].iter().collect::<String>().parse().ok()
        };
        let min = num(&mut j);
        let mut max = min;
        if self.s.get(j) == Some(&',') {
            j += 1;
            max = num(&mut j);
        }
        let min = match min {
            Some(m) => m,
            None if self.ere => return Ok(None),
            None => 0,
        };
        let close_ok = if self.ere {
            self.s.get(j) == Some(&'}')
        } else {
            self.s.get(j) == Some(&'\\') && self.s.get(j + 1) == Some(&'}')
        };
        if !close_ok {
            return if self.ere {
                Ok(None)
            } else {
                Err("Unmatched \\{".to_string())
            };
        }
        if let Some(mx) = max {
            if mx < min {
                return Err("Invalid content of \\{\\}".to_string());
            }
        }
        if min > 1000 || max.is_some_and(|m| m > 1000) {
            return Err("Regular expression too big".to_string());
        }
        Ok(Some((min, max, j + if self.ere { 1 } else { 2 })))
    }

    fn group(&mut self) -> Result<Node, String> {
        self.groups += 1;
        let n = self.groups;
        self.depth += 1;
        if self.depth > 100 || self.guard.exceeded() {
            return Err("Regular expression too big".to_string());
        }
        let inner = self.alt()?;
        self.depth -= 1;
        let closed = if self.ere {
            self.peek() == Some(')')
        } else {
            self.peek() == Some('\\') && self.peek2() == Some(')')
        };
        if !closed {
            return Err("Unmatched ( or \\(".to_string());
        }
        self.i += if self.ere { 1 } else { 2 };
        Ok(Node::Group(Box::new(inner), Some(n)))
    }

    fn atom(&mut self) -> Result<Node, String> {
        let c = self.s[self.i];
        self.i += 1;
        Ok(match c {
            '.' => Node::Any,
            '[' => Node::Class(self.bracket()?),
            '(' if self.ere => self.group()?,
            ')' if self.ere => Node::Char(')'),
            '\\' => {
                let Some(n) = self.peek() else {
                    return Err("Trailing backslash".to_string());
                };
                self.i += 1;
                match n {
                    '(' if !self.ere => self.group()?,
                    '1'..='9' => Node::Backref((n as u8 - b'0') as usize),
                    'w' | 'W' | 's' | 'S' => {
                        let name = if n.eq_ignore_ascii_case(&'w') {
                            "alnum"
                        } else {
                            "space"
                        };
                        let mut items = vec![ClassItem::Named(name.to_string())];
                        if n.eq_ignore_ascii_case(&'w') {
                            items.push(ClassItem::Char('_'));
                        }
                        Node::Class(Class {
                            negated: n.is_ascii_uppercase(),
                            items,
                        })
                    }
                    'b' => Node::WordB,
                    'B' => Node::NotWordB,
                    '<' => Node::WordStart,
                    '>' => Node::WordEnd,
                    '`' => Node::Bol,
                    '\'' => Node::Eol,
                    'n' => Node::Char('\n'),
                    't' => Node::Char('\t'),
                    'r' if self.awk => Node::Char('\r'),
                    '/' => Node::Char('/'),
                    other => Node::Char(other),
                }
            }
            other => Node::Char(other),
        })
    }

    fn bracket(&mut self) -> Result<Class, String> {
        let mut negated = false;
        if self.peek() == Some('^') {
            negated = true;
            self.i += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err("Unmatched [, [^, [:, [., or [=".to_string());
            };
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == '[' && matches!(self.peek2(), Some(':') | Some('.') | Some('=')) {
                let kind = self.peek2().unwrap_or(':');
                let rest: String = self.s[self.i + 2..].iter().collect();
                let close = format!("{kind}]");
                if let Some(end) = rest.find(&close) {
                    let name = &rest[..end];
                    self.i += 2 + name.chars().count() + 2;
                    if kind == ':' {
                        items.push(ClassItem::Named(name.to_string()));
                    } else {
                        items.extend(name.chars().map(ClassItem::Char));
                    }
                    continue;
                }
            }
            self.i += 1;
            let lo = if c == '\\' && self.awk {
                let e = self.peek().unwrap_or('\\');
                self.i += 1;
                match e {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.peek2().is_some_and(|x| x != ']') {
                let hi = self.peek2().unwrap_or(lo);
                self.i += 2;
                items.push(ClassItem::Range(lo, hi));
            } else {
                items.push(ClassItem::Char(lo));
            }
        }
        Ok(Class { negated, items })
    }
}

struct Compiler {
    prog: Vec<Inst>,
}

impl Compiler {
    fn emit(&mut self, i: Inst) -> Result<usize, String> {
        if self.prog.len() >= MAX_PROGRAM {
            return Err("Regular expression too big".to_string());
        }
        self.prog.push(i);
        Ok(self.prog.len() - 1)
    }

    fn node(&mut self, n: &Node) -> Result<(), String> {
        match n {
            Node::Char(c) => {
                self.emit(Inst::Char(*c))?;
            }
            Node::Any => {
                self.emit(Inst::Any)?;
            }
            Node::Class(c) => {
                self.emit(Inst::Class(c.clone()))?;
            }
            Node::Bol => {
                self.emit(Inst::Bol)?;
            }
            Node::Eol => {
                self.emit(Inst::Eol)?;
            }
            Node::WordB => {
                self.emit(Inst::WordB)?;
            }
            Node::NotWordB => {
                self.emit(Inst::NotWordB)?;
            }
            Node::WordStart => {
                self.emit(Inst::WordStart)?;
            }
            Node::WordEnd => {
                self.emit(Inst::WordEnd)?;
            }
            Node::Backref(k) => {
                self.emit(Inst::Backref(*k))?;
            }
            Node::Group(inner, idx) => {
                if let Some(k) = idx {
                    self.emit(Inst::Save(2 * k))?;
                    self.node(inner)?;
                    self.emit(Inst::Save(2 * k + 1))?;
                } else {
                    self.node(inner)?;
                }
            }
            Node::Concat(items) => {
                for it in items {
                    self.node(it)?;
                }
            }
            Node::Alt(alts) => {
                let mut jumps = Vec::new();
                for (k, a) in alts.iter().enumerate() {
                    if k + 1 < alts.len() {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.node(a)?;
                        jumps.push(self.emit(Inst::Jmp(0))?);
                        let next = self.prog.len();
                        self.prog[split] = Inst::Split(split + 1, next);
                    } else {
                        self.node(a)?;
                    }
                }
                let end = self.prog.len();
                for j in jumps {
                    self.prog[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat(inner, min, max) => {
                for _ in 0..*min {
                    self.node(inner)?;
                }
                match max {
                    None => {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.node(inner)?;
                        self.emit(Inst::Jmp(split))?;
                        let end = self.prog.len();
                        self.prog[split] = Inst::Split(split + 1, end);
                    }
                    Some(mx) => {
                        let mut splits = Vec::new();
                        for _ in *min..*mx {
                            splits.push(self.emit(Inst::Split(0, 0))?);
                            self.node(inner)?;
                        }
                        let end = self.prog.len();
                        for s in splits {
                            self.prog[s] = Inst::Split(s + 1, end);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

struct Vm<'a> {
    re: &'a Regex,
    s: &'a [char],
    visited: Vec<u64>,
    steps: usize,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Vm<'_> {
    /// Explores every path from `start`, keeping the longest match (first among equals).
    fn run(&mut self, start: usize) -> Option<Vec<Option<(usize, usize)>>> {
        let nslots = 2 * (self.re.groups + 1);
        let mut best: Option<Vec<Option<usize>>> = None;
        let mut stack: Vec<(usize, usize, Vec<Option<usize>>)> =
            vec![(0, start, vec![None; nslots])];
        let plen = self.re.prog.len();
        while let Some((mut pc, mut pos, mut slots)) = stack.pop() {
            loop {
                self.steps += 1;
                if self.steps > MAX_STEPS {
                    return None;
                }
                if !self.re.has_backrefs {
                    let key = pc * (self.s.len() + 1) + pos;
                    let (w, b) = (key / 64, key % 64);
                    if let Some(word) = self.visited.get_mut(w) {
                        if *word & (1 << b) != 0 {
                            break;
                        }
                        *word |= 1 << b;
                    }
                }
                if pc >= plen {
                    break;
                }
                match &self.re.prog[pc] {
                    Inst::Char(c) => {
                        let ok = self.s.get(pos).is_some_and(|x| {
                            x == c || (self.re.icase && x.to_lowercase().eq(c.to_lowercase()))
                        });
                        if !ok {
                            break;
                        }
                        pc += 1;
                        pos += 1;
                    }
                    Inst::Any => {
                        if pos >= self.s.len() {
                            break;
                        }
                        pc += 1;
                        pos += 1;
                    }
                    Inst::Class(cl) => {
                        if !self
                            .s
                            .get(pos)
                            .is_some_and(|&x| cl.matches(x, self.re.icase))
                        {
                            break;
                        }
                        pc += 1;
                        pos += 1;
                    }
                    Inst::Split(a, b) => {
                        stack.push((*b, pos, slots.clone()));
                        pc = *a;
                    }
                    Inst::Jmp(t) => pc = *t,
                    Inst::Save(k) => {
                        if let Some(slot) = slots.get_mut(*k) {
                            *slot = Some(pos);
                        }
                        pc += 1;
                    }
                    Inst::Bol => {
                        if pos != 0 {
                            break;
                        }
                        pc += 1;
                    }
                    Inst::Eol => {
                        if pos != self.s.len() {
                            break;
                        }
                        pc += 1;
                    }
                    Inst::WordB | Inst::NotWordB | Inst::WordStart | Inst::WordEnd => {
                        let before = pos > 0 && self.s.get(pos - 1).is_some_and(|&c| is_word(c));
                        let after = self.s.get(pos).is_some_and(|&c| is_word(c));
                        let ok = match &self.re.prog[pc] {
                            Inst::WordB => before != after,
                            Inst::NotWordB => before == after,
                            Inst::WordStart => !before && after,
                            _ => before && !after,
                        };
                        if !ok {
                            break;
                        }
                        pc += 1;
                    }
                    Inst::Backref(k) => {
                        let (a, b) = match (
                            slots.get(2 * k).copied().flatten(),
                            slots.get(2 * k + 1).copied().flatten(),
                        ) {
                            (Some(a), Some(b)) if a <= b => (a, b),
                            _ => break,
                        };
                        let len = b - a;
                        if pos + len > self.s.len() || self.s[a..b] != self.s[pos..pos + len] {
                            break;
                        }
                        pos += len;
                        pc += 1;
                    }
                    Inst::Match => {
                        let end = slots.get(1).copied().flatten().unwrap_or(pos);
                        let better = match &best {
                            None => true,
                            Some(b) => b.get(1).copied().flatten().unwrap_or(0) < end,
                        };
                        if better {
                            best = Some(slots.clone());
                        }
                        break;
                    }
                }
            }
        }
        best.map(|slots| {
            slots
                .chunks(2)
                .map(
                    |c| match (c.first().copied().flatten(), c.get(1).copied().flatten()) {
                        (Some(a), Some(b)) if a <= b => Some((a, b)),
                        _ => None,
                    },
                )
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str, ere: bool, text: &str, expected: Option<(usize, usize)>) {
        let re = Regex::new(pattern, ere, false).unwrap();
        assert_eq!(re.find(text, 0), expected, "{pattern} on {text}");
    }

    #[test]
    fn bre_and_ere() {
        check("a*", false, "aaab", Some((0, 3)));
        check("a\\+b", false, "xaab", Some((1, 4)));
        check("a+b", false, "a+b", Some((0, 3)));
        check("a+b", true, "xaab", Some((1, 4)));
        check("^ab", false, "xab", None);
        check("b$", false, "ab", Some((1, 2)));
        check("\\(ab\\)\\1", false, "xababy", Some((1, 5)));
        check("(ab)\\1", true, "xababy", Some((1, 5)));
        check("[[:digit:]]\\{2,3\\}", false, "a12345", Some((1, 4)));
        check("x{2}", true, "xxx", Some((0, 2)));
        check("ab|abc", true, "abc", Some((0, 3)));
        check("[^/]*$", false, "a/b/cc", Some((4, 6)));
        check("\\<is\\>", false, "this is", Some((5, 7)));
        check("*a", false, "x*a", Some((1, 3)));
        check("a.c", false, "abc", Some((0, 3)));
        check("[]x]", false, "]", Some((0, 1)));
        check("(a*)*b", true, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", None);
    }

    #[test]
    fn captures_and_case() {
        let re = Regex::new("([a-z]+)-([0-9]+)", true, false).unwrap();
        let c = re.captures("pkg-123", 0).unwrap();
        assert_eq!(c[1], Some((0, 3)));
        assert_eq!(c[2], Some((4, 7)));
        let re = Regex::new("hello", false, true).unwrap();
        assert!(re.is_match("Say HELLO"));
        assert!(Regex::new("\\(", false, false).is_err());
        assert!(Regex::new("a{1,2", true, false).is_ok());
    }
}
