//! Key-by-key merging of spanned TOML tables: tables merge recursively, everything else
//! (scalars and arrays) is replaced by the higher layer.

use toml::de::{DeTable, DeValue};

/// Merges layers from lowest to highest; `None` when there are no layers.
pub fn layers<'a>(layers: impl IntoIterator<Item = toml::Spanned<DeTable<'a>>>) -> Option<toml::Spanned<DeTable<'a>>> {
    layers.into_iter().reduce(|mut base, over| {
        merge(base.get_mut(), over.into_inner());
        base
    })
}

fn merge<'a>(base: &mut DeTable<'a>, over: DeTable<'a>) {
    for (key, value) in over {
        let existing = base.get_mut(key.get_ref().as_ref()).map(toml::Spanned::get_mut);
        if let (Some(DeValue::Table(base_table)), DeValue::Table(_)) = (existing, value.get_ref()) {
            if let DeValue::Table(over_table) = value.into_inner() {
                merge(base_table, over_table);
            }
        } else {
            base.remove(key.get_ref().as_ref());
            base.insert(key, value);
        }
    }
}

/// `table` as the value of `name` in a new table (container defaults become `resources`).
pub fn nest<'a>(name: &'static str, table: toml::Spanned<DeTable<'a>>) -> toml::Spanned<DeTable<'a>> {
    let span = table.span();
    let value = toml::Spanned::new(span.clone(), DeValue::Table(table.into_inner()));
    let mut outer = DeTable::new();
    outer.insert(super::key(name, span.clone()), value);
    toml::Spanned::new(span, outer)
}

/// Removes a boolean key from a table, returning it with its span.
pub fn take_bool(table: &mut toml::Spanned<DeTable<'_>>, name: &str) -> Option<crate::spec::Spanned<bool>> {
    let value = table.get_mut().remove(name)?;
    match value.get_ref() {
        DeValue::Boolean(flag) => Some(crate::spec::Spanned::new(*flag, value.span())),
        _ => None,
    }
}
