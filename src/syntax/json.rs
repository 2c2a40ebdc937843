//! The JSON that BuildKit's exec form accepts: Go's `encoding/json` rules (strict syntax,
//! whitespace ` \t\r\n`, nesting limit 10000, invalid surrogates decoded as U+FFFD), read
//! iteratively so no input can exhaust the stack. Only the top level is materialised: an
//! array's elements (strings decoded, with their byte ranges) or an object's string fields.

/// What the text after an exec-form instruction is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonArray {
    /// Not a JSON array (BuildKit falls back to the shell form).
    NotJson,
    /// Valid JSON, but some element is not a string (BuildKit rejects the file).
    NotStrings,
    /// Every element is a string.
    Strings(Vec<JsonString>),
}

/// One decoded string element and the byte range of its literal (quotes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonString {
    pub value: String,
    pub start: usize,
    pub end: usize,
}

const MAX_DEPTH: usize = 10_000;

/// BuildKit's `parseJSON`: leading Unicode blanks are skipped, the rest must start with `[`
/// and be exactly one JSON value. Offsets are relative to `text`.
pub fn parse_array(text: &str) -> JsonArray {
    let trimmed = text.trim_start_matches(super::gostr::is_space);
    let base = text.len() - trimmed.len();
    if !trimmed.starts_with('[') {
        return JsonArray::NotJson;
    }
    let mut p = Reader::new(trimmed);
    match p.top_level_array() {
        Some(elements) => {
            let mut strings = Vec::with_capacity(elements.len());
            let mut all_strings = true;
            for element in elements {
                match element {
                    Element::String(mut s) => {
                        s.start += base;
                        s.end += base;
                        strings.push(s);
                    }
                    Element::Other => all_strings = false,
                }
            }
            if all_strings {
                JsonArray::Strings(strings)
            } else {
                JsonArray::NotStrings
            }
        }
        None => JsonArray::NotJson,
    }
}

/// For a text that is exactly one JSON object: the value of `key` if it is a string.
pub fn object_string_field(text: &str, key: &str) -> Option<String> {
    let mut p = Reader::new(text);
    p.ws();
    if p.peek() != Some(b'{') {
        return None;
    }
    p.pos += 1;
    let mut found = None;
    p.ws();
    if p.peek() == Some(b'}') {
        p.pos += 1;
    } else {
        loop {
            p.ws();
            let name = p.string()?;
            p.ws();
            p.expect(b':')?;
            p.ws();
            if p.peek() == Some(b'"') {
                let value = p.string()?;
                if name.value == key {
                    found = Some(value.value);
                }
            } else {
                p.skip_value(1)?;
                if name.value == key {
                    found = None;
                }
            }
            p.ws();
            match p.next_byte()? {
                b',' => continue,
                b'}' => break,
                _ => return None,
            }
        }
    }
    p.ws();
    if p.pos != p.bytes.len() {
        return None;
    }
    found
}

enum Element {
    String(JsonString),
    Other,
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next_byte(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.next_byte()? == b).then_some(())
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn top_level_array(&mut self) -> Option<Vec<Element>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                if self.peek() == Some(b'"') {
                    out.push(Element::String(self.string()?));
                } else {
                    self.skip_value(1)?;
                    out.push(Element::Other);
                }
                self.ws();
                match self.next_byte()? {
                    b',' => continue,
                    b']' => break,
                    _ => return None,
                }
            }
        }
        self.ws();
        (self.pos == self.bytes.len()).then_some(out)
    }

    /// One complete value of any kind, nested containers included, without recursion.
    /// `depth` is the nesting depth of the container holding it.
    fn skip_value(&mut self, depth: usize) -> Option<()> {
        let mut stack: Vec<u8> = Vec::new();
        loop {
            self.ws();
            let mut opened = false;
            match self.peek()? {
                b'[' => {
                    self.pos += 1;
                    self.ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                    } else {
                        stack.push(b'[');
                        opened = true;
                    }
                }
                b'{' => {
                    self.pos += 1;
                    self.ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                    } else {
                        stack.push(b'{');
                        self.member_name()?;
                        opened = true;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b'-' | b'0'..=b'9' => self.number()?,
                b't' => self.literal("true")?,
                b'f' => self.literal("false")?,
                b'n' => self.literal("null")?,
                _ => return None,
            }
            if depth + stack.len() > MAX_DEPTH {
                return None;
            }
            if opened {
                continue;
            }
            // After a complete value: close containers or move to the next member.
            loop {
                let Some(&top) = stack.last() else {
                    return Some(());
                };
                self.ws();
                match (self.next_byte()?, top) {
                    (b',', b'[') => break,
                    (b',', _) => {
                        self.member_name()?;
                        break;
                    }
                    (b']', b'[') | (b'}', b'{') => {
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    fn member_name(&mut self) -> Option<()> {
        self.ws();
        self.string()?;
        self.ws();
        self.expect(b':')
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word.as_bytes()).then(|| self.pos = end)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.text.get(at..at + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    }

    fn string(&mut self) -> Option<JsonString> {
        let start = self.pos;
        self.expect(b'"')?;
        let mut value = String::new();
        loop {
            let b = self.peek()?;
            match b {
                b'"' => {
                    self.pos += 1;
                    return Some(JsonString {
                        value,
                        start,
                        end: self.pos,
                    });
                }
                b'\\' => {
                    self.pos += 1;
                    let e = self.next_byte()?;
                    match e {
                        b'"' => value.push('"'),
                        b'\\' => value.push('\\'),
                        b'/' => value.push('/'),
                        b'b' => value.push('\u{8}'),
                        b'f' => value.push('\u{c}'),
                        b'n' => value.push('\n'),
                        b'r' => value.push('\r'),
                        b't' => value.push('\t'),
                        b'u' => {
                            let unit = self.hex4(self.pos)?;
                            self.pos += 4;
                            value.push(self.decode_unit(unit));
                        }
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => {
                    let c = self.text.get(self.pos..)?.chars().next()?;
                    value.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    /// A `\uXXXX` unit: a valid surrogate pair combines (consuming the second escape),
    /// any other surrogate becomes U+FFFD, like Go.
    fn decode_unit(&mut self, unit: u32) -> char {
        if (0xd800..0xdc00).contains(&unit) && self.text.get(self.pos..self.pos + 2) == Some("\\u")
        {
            if let Some(low) = self.hex4(self.pos + 2) {
                if (0xdc00..0xe000).contains(&low) {
                    self.pos += 6;
                    let c = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                    return char::from_u32(c).unwrap_or('\u{fffd}');
                }
            }
        }
        char::from_u32(unit).unwrap_or('\u{fffd}')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str) -> Option<Vec<String>> {
        match parse_array(text) {
            JsonArray::Strings(v) => Some(v.into_iter().map(|s| s.value).collect()),
            _ => None,
        }
    }

    #[test]
    fn arrays_like_go() {
        assert_eq!(strings("[]"), Some(vec![]));
        assert_eq!(
            strings(" [ \"a\" , \"b\" ] "),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            strings(r#"["\ud83d\ude00", "\ud800x", "\u00e9\/"]"#),
            Some(vec!["😀".into(), "\u{fffd}x".into(), "é/".into()])
        );
        for bad in [
            "[\"a\"] tail",
            "['a']",
            "[\"a\",]",
            "[\"a\"",
            "[01]",
            "[\"\t\"]",
            "[\"\\x\"]",
        ] {
            assert_eq!(parse_array(bad), JsonArray::NotJson, "{bad}");
        }
        for not_strings in ["[1]", "[\"a\", {\"b\": [null, 1.5e3]}]", "[true]", "[[]]"] {
            assert_eq!(
                parse_array(not_strings),
                JsonArray::NotStrings,
                "{not_strings}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = format!("[{}{}]", "[".repeat(20_000), "]".repeat(20_000));
        assert_eq!(parse_array(&deep), JsonArray::NotJson);
        let ok = format!("[{}{}]", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse_array(&ok), JsonArray::NotStrings);
    }

    #[test]
    fn object_fields() {
        assert_eq!(
            object_string_field(r#"{"syntax": "foo", "bar": ["abc"]}"#, "syntax").as_deref(),
            Some("foo")
        );
        assert_eq!(object_string_field(r#"{"syntax": "foo""#, "syntax"), None);
        assert_eq!(object_string_field(r#"{"syntax": 1}"#, "syntax"), None);
    }
}
