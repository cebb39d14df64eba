//! Units: lengths as a user writes them (`15mm`, `10pt`), and numbers as
//! Typst and the messages write them.

use std::fmt;

use serde::Serialize;

/// A length with its unit, written back as given (`15mm`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Length {
    pub value: f64,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    Pt,
    Mm,
    Cm,
    In,
}

impl Length {
    pub const fn mm(value: f64) -> Self {
        Length {
            value,
            unit: Unit::Mm,
        }
    }

    pub const fn pt(value: f64) -> Self {
        Length {
            value,
            unit: Unit::Pt,
        }
    }

    pub fn to_pt(self) -> f64 {
        self.value
            * match self.unit {
                Unit::Pt => 1.0,
                Unit::Mm => 72.0 / 25.4,
                Unit::Cm => 72.0 / 2.54,
                Unit::In => 72.0,
            }
    }

    pub fn parse(s: &str) -> Option<Length> {
        let s = s.trim();
        let split = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
        let value: f64 = s[..split].trim().parse().ok()?;
        if value < 0.0 {
            return None;
        }
        let unit = match &s[split..] {
            "pt" => Unit::Pt,
            "mm" => Unit::Mm,
            "cm" => Unit::Cm,
            "in" => Unit::In,
            _ => return None,
        };
        (value.is_finite() && value >= 0.0).then_some(Length { value, unit })
    }
}

impl fmt::Display for Length {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Pt => "pt",
            Unit::Mm => "mm",
            Unit::Cm => "cm",
            Unit::In => "in",
        };
        write!(f, "{}{unit}", num(self.value))
    }
}

/// A number as Typst writes it (no trailing `.0`).
pub fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".into()
    } else {
        s.to_string()
    }
}
