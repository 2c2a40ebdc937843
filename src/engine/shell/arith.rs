//! Shell arithmetic (`$((…))`, `(( ))`, `let`): C integer expressions on 64-bit signed
//! numbers with wrapping, variables read and assigned through [`ArithVars`].
//!
//! Invariants: recursion is bounded (nested parentheses and variables whose values are
//! expressions count toward [`MAX_NESTING`]); division by zero is an error, not a panic;
//! the untaken side of `&&`, `||` and `?:` is parsed but has no side effects.

/// Deepest nesting of parentheses and recursive variable evaluation.
pub const MAX_NESTING: usize = 64;

/// Variable access for arithmetic.
pub trait ArithVars {
    /// The variable's value, `None` if unset.
    fn get(&mut self, name: &str) -> Option<String>;
    fn set(&mut self, name: &str, value: i64) -> Result<(), String>;
}

/// Evaluates an expression; errors are dash-like messages without the shell prefix.
pub fn eval(expr: &str, vars: &mut dyn ArithVars) -> Result<i64, String> {
    eval_nested(expr, vars, 0)
}

fn eval_nested(expr: &str, vars: &mut dyn ArithVars, depth: usize) -> Result<i64, String> {
    if depth > MAX_NESTING {
        return Err("expression recursion level exceeded".to_string());
    }
    let toks = lex(expr)?;
    let mut p = P {
        toks,
        i: 0,
        vars,
        depth,
        src: expr,
        guard: super::stack::StackGuard::new(super::stack::LEAF_STACK),
    };
    if p.toks.is_empty() {
        return Ok(0);
    }
    let v = p.comma(true)?;
    if p.i < p.toks.len() {
        return Err(format!(
            "arithmetic expression: expecting EOF: \"{}\"",
            expr.trim()
        ));
    }
    Ok(v)
}

#[derive(Debug, Clone, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: [&str; 42] = [
    "<<=", ">>=", "**=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=",
    "/=", "%=", "&=", "|=", "^=", "++", "--", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~",
    "&", "|", "^", "?", ":", "(", ")", ",", "[", "]",
];

fn lex(s: &str) -> Result<Vec<T>, String> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < b.len()
                && (b[i].is_ascii_alphanumeric() || b[i] == b'#' || b[i] == b'_' || b[i] == b'@')
            {
                i += 1;
            }
            out.push(T::Num(parse_number(&s[start..i])?));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(T::Name(s[start..i].to_string()));
            continue;
        }
        if c == b'$' {
            // `$x` inside $(( )) is expanded earlier; a bare `$` here is an error.
            return Err(format!(
                "arithmetic expression: expecting primary: \"{}\"",
                s.trim()
            ));
        }
        let rest = &s[i..];
        match OPS.iter().find(|op| rest.starts_with(**op)) {
            Some(op) => {
                out.push(T::Op(op));
                i += op.len();
            }
            None => {
                return Err(format!(
                    "arithmetic expression: expecting primary: \"{}\"",
                    s.trim()
                ));
            }
        }
    }
    Ok(out)
}

/// Parses an integer constant: decimal, `0x` hex, leading-zero octal, `base#digits`.
pub fn parse_number(text: &str) -> Result<i64, String> {
    let bad = || format!("arithmetic expression: expecting EOF: \"{text}\"");
    let t = text;
    if let Some((base, digits)) = t.split_once('#') {
        let base: u32 = base.parse().map_err(|_| bad())?;
        if !(2..=64).contains(&base) {
            return Err(bad());
        }
        let mut v: i64 = 0;
        for c in digits.chars() {
            let d = match c {
                '0'..='9' => c as u32 - '0' as u32,
                'a'..='z' => c as u32 - 'a' as u32 + 10,
                'A'..='Z' => {
                    if base <= 36 {
                        c as u32 - 'A' as u32 + 10
                    } else {
                        c as u32 - 'A' as u32 + 36
                    }
                }
                '@' => 62,
                '_' => 63,
                _ => return Err(bad()),
            };
            if d >= base {
                return Err(bad());
            }
            v = v.wrapping_mul(base as i64).wrapping_add(d as i64);
        }
        return Ok(v);
    }
    let (digits, radix) = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        (h, 16)
    } else if t.len() > 1 && t.starts_with('0') {
        (&t[1..], 8)
    } else {
        (t, 10)
    };
    if digits.is_empty() {
        return Err(bad());
    }
    let mut v: i64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix).ok_or_else(bad)?;
        v = v.wrapping_mul(radix as i64).wrapping_add(d as i64);
    }
    Ok(v)
}

struct P<'a> {
    toks: Vec<T>,
    i: usize,
    vars: &'a mut dyn ArithVars,
    depth: usize,
    src: &'a str,
    guard: super::stack::StackGuard,
}

impl P<'_> {
    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.i) {
            Some(T::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op() == Some(op) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn primary_err(&self) -> String {
        format!(
            "arithmetic expression: expecting primary: \"{}\"",
            self.src.trim()
        )
    }

    fn var_value(&mut self, name: &str) -> Result<i64, String> {
        let raw = self.vars.get(name).unwrap_or_default();
        let t = raw.trim();
        if t.is_empty() {
            return Ok(0);
        }
        let (neg, digits) = match t.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        if let Ok(v) = parse_number(digits) {
            return Ok(if neg { v.wrapping_neg() } else { v });
        }
        eval_nested(t, self.vars, self.depth + 1).map_err(|_| format!("Illegal number: {t}"))
    }

    fn comma(&mut self, live: bool) -> Result<i64, String> {
        let mut v = self.assign(live)?;
        while self.eat(",") {
            v = self.assign(live)?;
        }
        Ok(v)
    }

    fn assign(&mut self, live: bool) -> Result<i64, String> {
        if let (Some(T::Name(name)), Some(T::Op(op))) =
            (self.toks.get(self.i), self.toks.get(self.i + 1))
        {
            let op: &str = op;
            if matches!(
                op,
                "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "|=" | "^=" | "**="
            ) {
                let name = name.clone();
                self.i += 2;
                let rhs = self.assign(live)?;
                if !live {
                    return Ok(0);
                }
                let v = if op == "=" {
                    rhs
                } else {
                    let cur = self.var_value(&name)?;
                    binop(&op[..op.len() - 1], cur, rhs)?
                };
                self.vars.set(&name, v)?;
                return Ok(v);
            }
        }
        self.ternary(live)
    }

    fn ternary(&mut self, live: bool) -> Result<i64, String> {
        let c = self.binary(0, live)?;
        if self.eat("?") {
            let a = self.comma(live && c != 0)?;
            if !self.eat(":") {
                return Err(format!(
                    "arithmetic expression: expecting ':': \"{}\"",
                    self.src.trim()
                ));
            }
            let b = self.ternary(live && c == 0)?;
            return Ok(if c != 0 { a } else { b });
        }
        Ok(c)
    }

    /// Precedence climbing over the binary operators, lowest level first.
    fn binary(&mut self, level: usize, live: bool) -> Result<i64, String> {
        const LEVELS: [&[&str]; 10] = [
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", "<=", ">", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        if level >= LEVELS.len() {
            return self.power(live);
        }
        let mut left = self.binary(level + 1, live)?;
        while let Some(op) = self.peek_op() {
            if !LEVELS[level].contains(&op) {
                break;
            }
            self.i += 1;
            left = match op {
                "||" => {
                    let r = self.binary(level + 1, live && left == 0)?;
                    i64::from(left != 0 || r != 0)
                }
                "&&" => {
                    let r = self.binary(level + 1, live && left != 0)?;
                    i64::from(left != 0 && r != 0)
                }
                _ => {
                    let r = self.binary(level + 1, live)?;
                    if live {
                        binop(op, left, r)?
                    } else {
                        0
                    }
                }
            };
        }
        Ok(left)
    }

    fn power(&mut self, live: bool) -> Result<i64, String> {
        let base = self.unary(live)?;
        if self.eat("**") {
            let exp = self.power(live)?;
            return if live { binop("**", base, exp) } else { Ok(0) };
        }
        Ok(base)
    }

    fn unary(&mut self, live: bool) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > MAX_NESTING || self.guard.exceeded() {
            return Err("expression recursion level exceeded".to_string());
        }
        let r = self.unary_inner(live);
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self, live: bool) -> Result<i64, String> {
        match self.peek_op() {
            Some("-") => {
                self.i += 1;
                Ok(self.unary(live)?.wrapping_neg())
            }
            Some("+") => {
                self.i += 1;
                self.unary(live)
            }
            Some("!") => {
                self.i += 1;
                Ok(i64::from(self.unary(live)? == 0))
            }
            Some("~") => {
                self.i += 1;
                Ok(!self.unary(live)?)
            }
            Some(op @ ("++" | "--")) => {
                self.i += 1;
                let Some(T::Name(name)) = self.toks.get(self.i).cloned() else {
                    return Err(self.primary_err());
                };
                self.i += 1;
                let v = self.var_value(&name)?;
                let nv = if op == "++" {
                    v.wrapping_add(1)
                } else {
                    v.wrapping_sub(1)
                };
                if live {
                    self.vars.set(&name, nv)?;
                }
                Ok(nv)
            }
            _ => self.postfix(live),
        }
    }

    fn postfix(&mut self, live: bool) -> Result<i64, String> {
        match self.toks.get(self.i).cloned() {
            Some(T::Num(n)) => {
                self.i += 1;
                Ok(n)
            }
            Some(T::Name(name)) => {
                self.i += 1;
                let v = self.var_value(&name)?;
                for op in ["++", "--"] {
                    if self.eat(op) {
                        if live {
                            let nv = if op == "++" {
                                v.wrapping_add(1)
                            } else {
                                v.wrapping_sub(1)
                            };
                            self.vars.set(&name, nv)?;
                        }
                        return Ok(v);
                    }
                }
                Ok(v)
            }
            Some(T::Op("(")) => {
                self.i += 1;
                let v = self.comma(live)?;
                if !self.eat(")") {
                    return Err(format!(
                        "arithmetic expression: expecting ')': \"{}\"",
                        self.src.trim()
                    ));
                }
                Ok(v)
            }
            _ => Err(self.primary_err()),
        }
    }
}

fn binop(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" => {
            if b == 0 {
                return Err("arithmetic expression: division by zero".to_string());
            }
            if op == "/" {
                a.wrapping_div(b)
            } else {
                a.wrapping_rem(b)
            }
        }
        "**" => {
            if b < 0 {
                return Err("exponent less than 0".to_string());
            }
            let mut r: i64 = 1;
            let mut base = a;
            let mut e = b;
            while e > 0 {
                if e & 1 == 1 {
                    r = r.wrapping_mul(base);
                }
                base = base.wrapping_mul(base);
                e >>= 1;
            }
            r
        }
        "<<" => a.wrapping_shl((b & 63) as u32),
        ">>" => a.wrapping_shr((b & 63) as u32),
        "<" => i64::from(a < b),
        "<=" => i64::from(a <= b),
        ">" => i64::from(a > b),
        ">=" => i64::from(a >= b),
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "&" => a & b,
        "|" => a | b,
        "^" => a ^ b,
        _ => return Err(format!("arithmetic expression: unknown operator {op}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Vars(HashMap<String, String>);
    impl ArithVars for Vars {
        fn get(&mut self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
        fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
            self.0.insert(name.to_string(), value.to_string());
            Ok(())
        }
    }

    #[test]
    fn expressions() {
        let cases: [(&str, i64); 16] = [
            ("1 + 2 * 3", 7),
            ("(1 + 2) * 3", 9),
            ("7 / 2", 3),
            ("-7 % 3", -1),
            ("1 << 4", 16),
            ("0x10 + 010", 24),
            ("2#101", 5),
            ("3 > 2 && 2 > 1", 1),
            ("0 || 0", 0),
            ("1 ? 10 : 20", 10),
            ("!5", 0),
            ("~0", -1),
            ("x = 5, x * 2", 10),
            ("2 ** 10", 1024),
            ("", 0),
            ("y", 0),
        ];
        for (e, v) in cases {
            let mut vars = Vars::default();
            assert_eq!(eval(e, &mut vars), Ok(v), "{e}");
        }
    }

    #[test]
    fn assignments_and_side_effects() {
        let mut vars = Vars::default();
        vars.0.insert("i".into(), "3".into());
        assert_eq!(eval("i += 2", &mut vars), Ok(5));
        assert_eq!(eval("i++", &mut vars), Ok(5));
        assert_eq!(vars.0["i"], "6");
        assert_eq!(eval("0 && (i = 100)", &mut vars), Ok(0));
        assert_eq!(vars.0["i"], "6");
        assert!(eval("1 / 0", &mut vars).is_err());
        assert!(eval("1 +", &mut vars).is_err());
        // a variable holding itself must not recurse forever
        vars.0.insert("r".into(), "r".into());
        assert!(eval("r + 1", &mut vars).is_err());
    }
}
