//! Colour is the caller's choice, made once and handed to the renderers.

use super::*;
use crate::report::{Report, Status};

#[test]
fn the_choice_and_no_color_decide_and_nothing_else() {
    for (choice, terminal, no_color, expected) in [
        (ColorChoice::Auto, true, false, true),
        (ColorChoice::Auto, true, true, false),
        (ColorChoice::Auto, false, false, false),
        (ColorChoice::Always, false, true, true),
        (ColorChoice::Never, true, false, false),
    ] {
        assert_eq!(choice.decide(terminal, no_color), expected, "{choice:?} terminal={terminal} NO_COLOR={no_color}");
    }
}

#[test]
fn renderers_colour_only_when_told() {
    let mut report = Report::new("check", "openapi.yaml");
    report.file("src/generated.rs", Some("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n".into()), "regenerate");
    let report = report.finish(Status::Stale);
    let coloured = render(&report, Format::Human, &Styles { color: true, fix_command: "make gen" });
    let plain = render(&report, Format::Human, &Styles { color: false, fix_command: "make gen" });
    assert!(coloured.contains("\u{1b}[1;33m       Stale\u{1b}[0m src/generated.rs"), "{coloured}");
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(plain.contains("error: generated files are stale; run `make gen` and commit the result"), "{plain}");
    for format in [Format::Json, Format::Github, Format::Markdown, Format::Sarif, Format::Junit] {
        assert!(!render(&report, format, &Styles { color: true, fix_command: "make gen" }).contains('\u{1b}'), "{format:?} is for machines");
    }
}
