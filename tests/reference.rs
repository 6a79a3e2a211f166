//! `docs/reference.md` is generated from the spec's JSON Schema and must not drift from it.
//! After a change to the spec types, regenerate it on purpose and review the diff:
//!     `PLATC_BLESS=1` cargo test --test reference

use std::path::Path;

#[test]
fn the_reference_of_every_key_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference.md");
    let generated = platc::spec::reference::markdown(&platc::spec::json_schema());
    if std::env::var_os("PLATC_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == generated,
        "docs/reference.md is stale: run `PLATC_BLESS=1 cargo test --test reference` and review the diff"
    );
}

#[test]
fn the_reference_names_every_key_of_the_schema() {
    let reference = platc::spec::reference::markdown(&platc::spec::json_schema());
    for key in [
        "`name`",
        "`autoscale`",
        "`min`",
        "`egress`",
        "`targets`",
        "`availability`",
        "`allow`",
    ] {
        assert!(reference.contains(&format!("| {key} |")), "{key} is missing");
    }
    for section in [
        "## `[platform]`",
        "## `[services.<name>]`",
        "## `[services.<name>.autoscale]`",
    ] {
        assert!(reference.contains(section), "{section} is missing");
    }
}
