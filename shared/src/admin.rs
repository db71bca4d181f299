//! The administration API's messages: loading the unit list and managing
//! users. The server and the admin screen share them.

use serde::{Deserialize, Serialize};

use crate::ids::UnitCode;
use crate::user::Role;

/// The answer to `POST /api/admin/units/import`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub provinces: u32,
    pub communes: u32,
}

/// `POST /api/admin/users`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub display_name: String,
    pub role: Role,
    pub unit_code: Option<UnitCode>,
    /// A handler's agency, one of its unit's.
    #[serde(default)]
    pub agency_id: Option<crate::AgencyId>,
}

/// One user as the administrator sees it (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_code: Option<String>,
    #[serde(default)]
    pub unit_name: Option<String>,
    #[serde(default)]
    pub agency_id: Option<String>,
    #[serde(default)]
    pub agency_name: Option<String>,
}

/// One agency of a unit's directory: a sở, ban or ngành of a province, an
/// office or the police or health station of a commune. Opinions are
/// assigned to agencies after the meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: crate::AgencyId,
    pub unit_code: UnitCode,
    pub name: String,
}

/// `POST /api/admin/agencies`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAgency {
    pub unit_code: UnitCode,
    pub name: String,
}
