//! Identifier newtypes. Ids are UUIDv7 made by the client, so a record made
//! offline already has its final id; unit codes are the official codes.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

use crate::error::DomainError;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new time-ordered id (UUIDv7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
            /// Parses the hyphenated text form used in URLs and the database.
            pub fn parse(text: &str) -> Result<Self, DomainError> {
                Uuid::parse_str(text).map(Self).map_err(|_| DomainError::InvalidId)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_id!(
    /// A dialogue (buổi đối thoại).
    DialogueId
);
uuid_id!(
    /// One opinion raised in a dialogue (ý kiến).
    OpinionId
);
uuid_id!(
    /// One browser profile of one user: the source of an outbox.
    DeviceId
);
uuid_id!(
    /// A user account.
    UserId
);
uuid_id!(
    /// An agency of a unit's directory (sở, ban, ngành; a commune's offices).
    AgencyId
);

/// An official administrative unit code: 2 digits for a province, 5 for a
/// commune (the codes of the General Statistics Office).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let ok = (2..=8).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(DomainError::InvalidUnitCode)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UnitCode {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<UnitCode> for String {
    fn from(code: UnitCode) -> String {
        code.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_codes_are_digits_only() {
        assert!(UnitCode::parse("01").is_ok());
        assert!(UnitCode::parse("00070").is_ok());
        assert_eq!(UnitCode::parse("1"), Err(DomainError::InvalidUnitCode));
        assert_eq!(UnitCode::parse("0a070"), Err(DomainError::InvalidUnitCode));
        let err = serde_json::from_str::<UnitCode>("\"x1\"").unwrap_err();
        assert!(err.to_string().contains("unit code"), "{err}");
    }

    #[test]
    fn ids_round_trip_through_text() {
        let id = DialogueId::new();
        assert_eq!(DialogueId::parse(&id.to_string()), Ok(id));
        assert_eq!(DialogueId::parse("nope"), Err(DomainError::InvalidId));
    }
}
