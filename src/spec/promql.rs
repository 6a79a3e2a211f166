//! `PromQL` syntax, checked with `promql-parser` (`GreptimeDB`'s port of the Prometheus
//! parser): custom alert expressions at check time, every generated expression in `verify`.
//!
//! The parser reports what is wrong but not where. The place is recovered from the parser
//! itself, by parsing prefixes of the expression: a lexical problem is the last character of
//! the shortest prefix that fails the same way (an unclosed `(` fails every prefix from that
//! paren on, a stray character every prefix from that character on); a grammatical one is
//! the first token after the longest prefix that parses.

/// Stands for the environment's namespace in a custom alert's `expr`.
pub const NAMESPACE: &str = "${namespace}";
/// What `NAMESPACE` is replaced with for the syntax check: a label value of the same length,
/// so positions in the checked text are positions in the written one.
const NAMESPACE_STAND_IN: &str = "namespace___";
/// Locating costs one parse per prefix; longer expressions are reported at their start.
const LOCATE_LIMIT: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the problem in the expression.
    pub offset: usize,
    pub message: String,
}

/// Parses an expression that may use `${namespace}`.
pub fn check_template(expr: &str) -> Result<(), SyntaxError> {
    check(&expr.replace(NAMESPACE, NAMESPACE_STAND_IN))
}

/// Parses a complete expression.
pub fn check(expr: &str) -> Result<(), SyntaxError> {
    let Err(message) = promql_parser::parser::parse(expr) else {
        return Ok(());
    };
    let offset = if expr.len() > LOCATE_LIMIT {
        0
    } else {
        locate(expr, &message)
    };
    Err(SyntaxError { offset, message })
}

fn locate(expr: &str, message: &str) -> usize {
    // Prefix ends from the longest down, skipping prefixes that end in blanks (the lexer
    // does not check parentheses after a blank).
    let ends = || {
        expr.char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .rev()
            .filter(|&end| !expr[..end].ends_with(char::is_whitespace))
    };
    if promql_parser::parser::lexer(expr).is_err() {
        lexical(expr, message, ends())
    } else {
        grammatical(expr, message, ends())
    }
}

/// The last character of the shortest prefix that still fails the same way: the opening
/// of what is left open, or the character the lexer stumbles on.
fn lexical(expr: &str, message: &str, ends: impl Iterator<Item = usize>) -> usize {
    let mut shortest = expr.len();
    for end in ends {
        match promql_parser::parser::lexer(&expr[..end]) {
            Err(m) if m == message => shortest = end,
            Err(m) if at_end(message) && at_end(&m) => {}
            _ => break,
        }
    }
    expr[..shortest].char_indices().next_back().map_or(0, |(i, _)| i)
}

/// The first token after the longest prefix that parses (or fails differently): where
/// the expression stops making sense. Prefixes that do not lex are passed over.
fn grammatical(expr: &str, message: &str, ends: impl Iterator<Item = usize>) -> usize {
    for end in ends.filter(|&end| end < expr.len()) {
        let prefix = &expr[..end];
        let fails_alike = promql_parser::parser::lexer(prefix).is_err()
            || promql_parser::parser::parse(prefix).err().as_deref() == Some(message);
        if !fails_alike {
            let rest = &expr[end..];
            return end + (rest.len() - rest.trim_start().len());
        }
    }
    0
}

/// A lexer error found only at the end of the input (something left open): any prefix
/// from the opening on fails with one of these, whichever construct it ends in.
fn at_end(message: &str) -> bool {
    [
        "unclosed",
        "unterminated",
        "end of input",
        "not terminated",
        "at the end",
    ]
    .iter()
    .any(|sign| message.contains(sign))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(expr: &str) -> (usize, String) {
        let error = check_template(expr).expect_err("invalid PromQL");
        (error.offset, error.message)
    }

    #[test]
    fn valid_expressions_pass() {
        check_template(r#"sum(rate(payment_provider_errors_total{namespace="${namespace}"}[5m])) by (provider) > 0.5"#)
            .unwrap();
        check("histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m]))) > 0.5").unwrap();
    }

    #[test]
    fn an_unclosed_paren_is_found_where_it_opens() {
        let (offset, message) = at("sum(rate(http_requests_total[5m]) > 1");
        assert_eq!(offset, 3, "{message}");
        assert!(message.contains("unclosed left parenthesis"), "{message}");
        assert_eq!(at("(up) + (up").0, 7);
        assert_eq!(
            at(r#"up{job="a"} + rate(x{job="b}[5m])"#).0,
            25,
            "the unterminated string"
        );
    }

    #[test]
    fn a_stray_character_is_found_where_it_stands() {
        let expr = "sum(up) $ 1";
        assert_eq!(at(expr).0, expr.find('$').unwrap());
    }

    #[test]
    fn a_grammar_error_points_after_the_longest_valid_start() {
        let expr = "sum(up) by (job) > 1 and";
        let (offset, _) = at(expr);
        assert_eq!(&expr[offset..], "and");
    }
}
