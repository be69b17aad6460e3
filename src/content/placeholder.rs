//! Placeholder text: what `new` writes where the author still has to fill in
//! (`TODO: …`), and the `TBD`/`TODO`/`???` people type themselves.

/// The marker `new` puts in front of every placeholder it writes.
pub const MARKER: &str = "TODO";

/// The placeholder word in `text`, if it holds one: `TBD`, `TODO` or `???`
/// (`TBD` and `TODO` as whole words, in capitals).
pub fn find(text: &str) -> Option<&'static str> {
    if text.contains("???") {
        return Some("???");
    }
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find_map(|word| match word {
            "TBD" => Some("TBD"),
            "TODO" => Some("TODO"),
            _ => None,
        })
}

/// The first line (1-based within `text`) holding a placeholder, and the line.
pub fn first_line(text: &str) -> Option<(u64, String)> {
    text.lines()
        .enumerate()
        .find(|(_, line)| find(line).is_some())
        .map(|(i, line)| (i as u64 + 1, line.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_words_only() {
        assert_eq!(find("owner: TBD"), Some("TBD"));
        assert_eq!(find("TODO: one line for customers"), Some("TODO"));
        assert_eq!(find("Launch date ???"), Some("???"));
        assert_eq!(find("Todos app and TBDX"), None);
        assert_eq!(find("Dana Lee"), None);
        assert_eq!(
            first_line("fine\n_TODO: say what is new_\n"),
            Some((2, "_TODO: say what is new_".into()))
        );
    }
}
