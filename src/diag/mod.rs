//! Diagnostics as data: a code, a message, the span it points at, optional labels and help.
//! Stages push them into one list; `render` turns the list into text for people or tools.

mod code;
pub mod render;
mod source;
pub mod suggest;

pub use code::{Code, Severity};
pub use source::SourceFile;

use crate::spec::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    /// Where the problem is; `None` for problems of the file as a whole.
    pub span: Option<Span>,
    /// Secondary places, each with a short note.
    pub labels: Vec<(Span, String)>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            span: Some(span),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn whole_file(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            span: None,
            labels: Vec::new(),
            help: None,
        }
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_label(mut self, span: Span, note: impl Into<String>) -> Self {
        self.labels.push((span, note.into()));
        self
    }

    /// Gives a diagnostic without help the pointer to its explanation, so every one a person
    /// reads ends with a next step.
    #[must_use]
    pub fn or_explain(self) -> Self {
        if self.help.is_some() {
            return self;
        }
        let code = self.code;
        self.with_help(format!("`platc explain {code}` says what this means and how to fix it"))
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

/// The problems found by one run, in a stable order: by position, then code, then message.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Sorted, with exact repeats removed (the same base value seen by every environment
    /// is reported once).
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            let position = |d: &Diagnostic| d.span.as_ref().map_or((0, 0), |s| (s.start, s.end));
            (position(a), a.code, &a.message).cmp(&(position(b), b.code, &b.message))
        });
        self.0.dedup();
        self.0
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(items: I) -> Self {
        Self(items.into_iter().collect())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
