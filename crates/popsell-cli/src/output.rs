//! What `chatrooms` prints: JSON (a page, or an array with `--all`), NDJSON
//! (a chatroom per line), or a table cut to the terminal's width.

use std::io::Write;

use popsell_types::{Chatroom, ChatroomPage};

/// `--output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON: the page object (with `--all`, an array of chatrooms).
    Json,
    /// One chatroom per line, as JSON.
    Ndjson,
    /// A table for people.
    Table,
}

pub struct Output<W: Write> {
    format: Format,
    out: W,
    width: usize,
    header_written: bool,
}

impl<W: Write> Output<W> {
    pub fn new(format: Format, out: W) -> Self {
        let width = terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)).unwrap_or(120);
        Output { format, out, width, header_written: false }
    }

    /// One page: its object, its rooms one per line, or its table and a summary line.
    pub fn page(&mut self, page: &ChatroomPage) -> std::io::Result<()> {
        match self.format {
            Format::Json => writeln!(self.out, "{}", serde_json::to_string_pretty(page)?),
            Format::Ndjson | Format::Table => {
                for room in &page.data {
                    self.room(room)?;
                }
                if self.format == Format::Table {
                    writeln!(self.out, "page {} of {} ({} chatrooms in all)", page.current_page, page.last_page, page.total)?;
                }
                self.finish()
            }
        }
    }

    /// Every room of `--all` in JSON.
    pub fn rooms(&mut self, rooms: &[Chatroom]) -> std::io::Result<()> {
        writeln!(self.out, "{}", serde_json::to_string_pretty(rooms)?)
    }

    /// One room, as a line of NDJSON or a row of the table.
    pub fn room(&mut self, room: &Chatroom) -> std::io::Result<()> {
        match self.format {
            Format::Ndjson => writeln!(self.out, "{}", serde_json::to_string(room)?),
            Format::Json => unreachable!("JSON is written whole"),
            Format::Table => {
                if !self.header_written {
                    self.header_written = true;
                    let header = row(["ID", "TYPE", "LAST ACTION", "MEMBERS", "LAST MESSAGE"].map(str::to_owned));
                    writeln!(self.out, "{}", cut(&header, self.width))?;
                }
                writeln!(self.out, "{}", cut(&row(cells(room)), self.width))
            }
        }
    }

    pub fn finish(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

fn cells(room: &Chatroom) -> [String; 5] {
    let members: Vec<&str> = room.ambassadors.iter().map(|m| m.username.as_str()).collect();
    let message = room.last_message.as_ref().map(|m| m.content.replace('\n', " ")).unwrap_or_default();
    [
        room.id_chatroom.to_string(),
        room.chatroom_type().to_string(),
        room.last_action().to_string(),
        members.join(", "),
        message,
    ]
}

/// Fixed widths for the first columns; the last takes what is left.
fn row(cells: [String; 5]) -> String {
    let widths = [8, 18, 28, 32];
    let mut line = String::new();
    for (cell, width) in cells.iter().zip(widths) {
        line.push_str(&format!("{:<width$} ", cut(cell, width), width = width));
    }
    line.push_str(&cells[4]);
    line
}

/// `text` cut to `width` characters, with `…` when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_with_an_ellipsis() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
        assert_eq!(row(["1", "one to one (0)", "t", "a, b", "hello"].map(str::to_owned)).trim_end(), "1        one to one (0)     t                            a, b                             hello");
    }
}
