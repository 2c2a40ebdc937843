//! Elastic tabstops as docker/cli configures its vendored Go `tabwriter`:
//! `NewWriter(out, minwidth 10, tabwidth 1, padding 3, padchar ' ', flags 0)`.
//!
//! Cells are terminated by `\t` (or `\v`); a line's last cell is not part of any column and
//! is written as is. A column is a run of consecutive lines that all have a tab-terminated
//! cell at that index; its width is the widest cell plus padding, at least `minwidth`.
//! `\f` ends a line and also ends every column. Widths count terminal cells: East Asian
//! wide characters take two (an approximation of go-runewidth's table).

/// docker/cli's table settings.
pub const MIN_WIDTH: usize = 10;
pub const PADDING: usize = 3;

#[derive(Debug, Clone)]
struct Cell {
    text: String,
    width: usize,
}

/// Aligns tab-separated text the way docker/cli prints its tables.
pub fn align(text: &str) -> String {
    align_with(text, MIN_WIDTH, PADDING)
}

pub fn align_with(text: &str, min_width: usize, padding: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    // Split into segments at form feeds: each segment is formatted on its own.
    let mut segment: Vec<Vec<Cell>> = Vec::new();
    let mut line: Vec<Cell> = Vec::new();
    let mut cell = String::new();
    for ch in text.chars() {
        match ch {
            '\t' | '\u{b}' => line.push(finish_cell(&mut cell)),
            '\n' | '\u{c}' => {
                line.push(finish_cell(&mut cell));
                segment.push(std::mem::take(&mut line));
                if ch == '\u{c}' {
                    format_segment(&segment, min_width, padding, true, &mut out);
                    segment.clear();
                }
            }
            _ => cell.push(ch),
        }
    }
    let trailing = !cell.is_empty() || !line.is_empty();
    if trailing {
        line.push(finish_cell(&mut cell));
        segment.push(line);
    }
    format_segment(&segment, min_width, padding, !trailing, &mut out);
    out
}

fn finish_cell(cell: &mut String) -> Cell {
    let text = std::mem::take(cell);
    let width = display_width(&text);
    Cell { text, width }
}

/// Writes one flushed segment. `newline_after_last` is false when the input did not end
/// with a line break (the last line is then written without one).
fn format_segment(
    lines: &[Vec<Cell>],
    min_width: usize,
    padding: usize,
    newline_after_last: bool,
    out: &mut String,
) {
    // widths[i][j]: width of column j for line i (only for tab-terminated cells).
    let mut widths: Vec<Vec<usize>> = lines
        .iter()
        .map(|l| vec![0; l.len().saturating_sub(1)])
        .collect();
    let max_columns = lines
        .iter()
        .map(|l| l.len().saturating_sub(1))
        .max()
        .unwrap_or(0);
    for column in 0..max_columns {
        let mut start = 0;
        while start < lines.len() {
            if lines.get(start).map_or(0, |l| l.len().saturating_sub(1)) <= column {
                start += 1;
                continue;
            }
            let mut end = start;
            let mut width = min_width;
            while let Some(l) = lines.get(end) {
                if l.len().saturating_sub(1) <= column {
                    break;
                }
                if let Some(c) = l.get(column) {
                    width = width.max(c.width + padding);
                }
                end += 1;
            }
            for row in widths.iter_mut().take(end).skip(start) {
                if let Some(w) = row.get_mut(column) {
                    *w = width;
                }
            }
            start = end;
        }
    }
    for (i, line) in lines.iter().enumerate() {
        let last = line.len().saturating_sub(1);
        for (j, cell) in line.iter().enumerate() {
            out.push_str(&cell.text);
            if j < last {
                let width = widths.get(i).and_then(|w| w.get(j)).copied().unwrap_or(0);
                for _ in cell.width..width {
                    out.push(' ');
                }
            }
        }
        if i + 1 < lines.len() || newline_after_last {
            out.push('\n');
        }
    }
}

/// Terminal cells taken by `text`: 2 for East Asian wide and full-width characters,
/// 0 for control characters and combining marks, 1 otherwise.
pub fn display_width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

pub fn char_width(c: char) -> usize {
    let cp = u32::from(c);
    if cp < 0x20 || (0x7f..0xa0).contains(&cp) {
        return 0;
    }
    if (0x300..=0x36f).contains(&cp)
        || (0x200b..=0x200f).contains(&cp)
        || (0xfe00..=0xfe0f).contains(&cp)
    {
        return 0;
    }
    const WIDE: &[(u32, u32)] = &[
        (0x1100, 0x115f),
        (0x2e80, 0x303e),
        (0x3041, 0x33ff),
        (0x3400, 0x4dbf),
        (0x4e00, 0x9fff),
        (0xa000, 0xa4cf),
        (0xac00, 0xd7a3),
        (0xf900, 0xfaff),
        (0xfe30, 0xfe4f),
        (0xff00, 0xff60),
        (0xffe0, 0xffe6),
        (0x1f300, 0x1f64f),
        (0x1f900, 0x1f9ff),
        (0x20000, 0x2fffd),
        (0x30000, 0x3fffd),
    ];
    if WIDE.iter().any(|&(lo, hi)| (lo..=hi).contains(&cp)) {
        2
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_like_docker() {
        let text = "REPOSITORY\tTAG\tIMAGE ID\nimage\ttag1\timageID1\n";
        assert_eq!(
            align(text),
            "REPOSITORY   TAG       IMAGE ID\nimage        tag1      imageID1\n"
        );
    }

    #[test]
    fn ragged_lines_form_separate_blocks() {
        // Go's example from text/tabwriter: b and c are in distinct columns.
        let text = "aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n";
        let got = align_with(text, 0, 1);
        assert_eq!(got, "aaaa bbb d\naa   b   dd\na    \naa   cccc eee\n");
    }

    #[test]
    fn no_trailing_newline() {
        assert_eq!(align("a\tb"), "a         b");
    }
}
