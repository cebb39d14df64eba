//! Languages: which way a script runs, and what a language tag looks like.

use crate::model::document::Dir;

/// Right-to-left scripts by primary language.
pub fn dir_of(language: &str) -> Dir {
    match language {
        "ar" | "fa" | "he" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb" | "syr" => Dir::Rtl,
        _ => Dir::Ltr,
    }
}

pub fn valid_lang(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}
