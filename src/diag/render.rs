//! Turning diagnostics into text: rustc-like for people, JSON and GitHub annotations for tools.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Diagnostic, Severity, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// Human output in the style of rustc: header, location, source line, caret, help.
pub fn human(file: &SourceFile, diagnostic: &Diagnostic) -> String {
    human_styled(file, diagnostic, false)
}

/// ANSI colours in rustc's scheme: the severity in red or yellow, the message bold, the
/// gutter and secondary marks blue.
struct Palette {
    color: bool,
}

impl Palette {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn severity(&self, severity: Severity, text: &str) -> String {
        self.paint(if severity == Severity::Error { "1;31" } else { "1;33" }, text)
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn blue(&self, text: &str) -> String {
        self.paint("1;34", text)
    }
}

/// [`human`], coloured with ANSI escapes when `color` is set.
pub fn human_styled(file: &SourceFile, diagnostic: &Diagnostic, color: bool) -> String {
    let palette = Palette { color };
    let mut out = String::new();
    let severity = diagnostic.severity();
    let name = match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let header = palette.severity(severity, &format!("{name}[{}]", diagnostic.code));
    let _ = writeln!(out, "{header}{}", palette.bold(&format!(": {}", diagnostic.message)));
    let gutter = if let Some(span) = &diagnostic.span {
        let (line, column) = file.line_col(span.start);
        let gutter = " ".repeat(line.to_string().len());
        let _ = writeln!(out, "{gutter}{} {}:{line}:{column}", palette.blue("-->"), file.name());
        let primary = Mark {
            symbol: '^',
            note: "",
            paint: |text: &str| palette.severity(severity, text),
        };
        snippet(&mut out, file, span, &primary, &gutter, &palette);
        for (label_span, note) in &diagnostic.labels {
            let secondary = Mark {
                symbol: '-',
                note,
                paint: |text: &str| palette.blue(text),
            };
            snippet(&mut out, file, label_span, &secondary, &gutter, &palette);
        }
        gutter
    } else {
        let _ = writeln!(out, "  {} {}", palette.blue("-->"), file.name());
        "  ".to_string()
    };
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{gutter} {} {help}", palette.blue("= help:"));
    }
    out
}

/// How a span is underlined: `^` for the primary place, `-` with a note for a label.
struct Mark<'a, F: Fn(&str) -> String> {
    symbol: char,
    note: &'a str,
    paint: F,
}

fn snippet<F: Fn(&str) -> String>(
    out: &mut String,
    file: &SourceFile,
    span: &crate::spec::Span,
    mark: &Mark<'_, F>,
    gutter: &str,
    palette: &Palette,
) {
    let (line, column) = file.line_col(span.start);
    let text = file.line_text(line);
    let (end_line, end_column) = file.line_col(span.end.max(span.start + 1) - 1);
    let width = if end_line == line {
        end_column + 1 - column
    } else {
        text.chars().count() + 1 - column
    };
    let underline = mark.symbol.to_string().repeat(width.max(1));
    let pad = " ".repeat(column - 1);
    let number = format!("{line:>width$}", width = gutter.len());
    let bar = palette.blue("|");
    let note = if mark.note.is_empty() {
        String::new()
    } else {
        format!(" {}", mark.note)
    };
    let _ = writeln!(out, "{gutter} {bar}");
    let _ = writeln!(out, "{} {bar} {text}", palette.blue(&number));
    let _ = writeln!(
        out,
        "{gutter} {bar} {pad}{}",
        (mark.paint)(&format!("{underline}{note}"))
    );
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&'a str>,
}

/// SPEC §7: one JSON array of objects with code, severity, message, file, line, column, help.
pub fn json(reports: &[(&SourceFile, Vec<Diagnostic>)]) -> String {
    let items: Vec<JsonDiagnostic> = reports
        .iter()
        .flat_map(|(file, diagnostics)| diagnostics.iter().map(move |d| json_item(file, d)))
        .collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

fn json_item<'a>(file: &SourceFile, diagnostic: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let position = diagnostic.span.as_ref().map(|span| file.line_col(span.start));
    JsonDiagnostic {
        code: diagnostic.code.as_str(),
        severity: diagnostic.severity(),
        message: &diagnostic.message,
        file: file.name(),
        line: position.map(|(line, _)| line),
        column: position.map(|(_, column)| column),
        help: diagnostic.help.as_deref(),
    }
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.
pub fn github(file: &SourceFile, diagnostic: &Diagnostic) -> String {
    let command = match diagnostic.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = format!("file={}", escape_property(&file.name()));
    if let Some(span) = &diagnostic.span {
        let (line, column) = file.line_col(span.start);
        let _ = write!(properties, ",line={line},col={column}");
    }
    let _ = write!(properties, ",title={}", diagnostic.code);
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        let _ = write!(message, "\nhelp: {help}");
    }
    format!("::{command} {properties}::{}\n", escape_data(&message))
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    fn sample() -> (SourceFile, Diagnostic) {
        let file = SourceFile::new("spec.toml", "[services.web]\ntier = \"critcal\"\n".to_string());
        let diagnostic =
            Diagnostic::new(Code::E0030, 22..31, "tier `critcal` is not defined").with_help("did you mean `critical`?");
        (file, diagnostic)
    }

    #[test]
    fn human_output_points_at_the_value() {
        let (file, diagnostic) = sample();
        let text = human(&file, &diagnostic);
        assert_eq!(
            text,
            "error[E0030]: tier `critcal` is not defined\n --> spec.toml:2:8\n  |\n2 | tier = \"critcal\"\n  |        ^^^^^^^^^\n  = help: did you mean `critical`?\n"
        );
    }

    #[test]
    fn colour_marks_the_severity_and_caret_and_leaves_the_text_alone() {
        let (file, diagnostic) = sample();
        let coloured = human_styled(&file, &diagnostic, true);
        assert!(coloured.starts_with("\x1b[1;31merror[E0030]\x1b[0m"), "{coloured:?}");
        assert!(coloured.contains("\x1b[1;31m^^^^^^^^^\x1b[0m"), "{coloured:?}");
        let stripped = coloured
            .split("\x1b[")
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('m').map_or(part, |(_, rest)| rest)
                }
            })
            .collect::<String>();
        assert_eq!(stripped, human(&file, &diagnostic), "colour only adds escapes");
    }

    #[test]
    fn github_annotations_escape_newlines_and_separators() {
        let (file, diagnostic) = sample();
        assert_eq!(
            github(&file, &diagnostic),
            "::error file=spec.toml,line=2,col=8,title=E0030::tier `critcal` is not defined%0Ahelp: did you mean `critical`?\n"
        );
    }

    #[test]
    fn json_has_the_contract_keys() {
        let (file, diagnostic) = sample();
        let value: serde_json::Value = serde_json::from_str(&json(&[(&file, vec![diagnostic])])).unwrap();
        let item = &value[0];
        assert_eq!(item["code"], "E0030");
        assert_eq!(item["severity"], "error");
        assert_eq!(item["line"], 2);
        assert_eq!(item["column"], 8);
        assert_eq!(item["file"], "spec.toml");
        assert_eq!(item["help"], "did you mean `critical`?");
    }
}
