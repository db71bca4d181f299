//! Users, roles, administrative units and the scope rule: a user reads and
//! writes only dialogues of their own unit and the units under it.

use serde::{Deserialize, Serialize};

use crate::ids::{AgencyId, UnitCode, UserId};

/// `POST /api/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Thư ký: records dialogues in the field.
    Secretary,
    /// Cán bộ tổng hợp: reads synced minutes, follows up, reports.
    Reviewer,
    /// Manages units and users.
    Admin,
    /// Cán bộ xử lý: handles the items assigned to their agency.
    Handler,
    /// Giám sát (MTTQ): reads the follow-up in scope, writes nothing.
    Observer,
}

impl Role {
    pub const ALL: [Self; 5] = [
        Self::Secretary,
        Self::Reviewer,
        Self::Handler,
        Self::Observer,
        Self::Admin,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Secretary => "secretary",
            Self::Reviewer => "reviewer",
            Self::Admin => "admin",
            Self::Handler => "handler",
            Self::Observer => "observer",
        }
    }
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
    /// Who records minutes.
    pub fn can_capture(self) -> bool {
        self == Self::Secretary
    }
    /// Who reads synced minutes, conclusion notices and follow-up.
    pub fn can_review(self) -> bool {
        matches!(self, Self::Reviewer | Self::Admin | Self::Observer)
    }
    /// Who issues conclusion notices and closes, reopens and chases items:
    /// the office of the unit that held the dialogue.
    pub fn can_follow_up(self) -> bool {
        self == Self::Reviewer
    }
    /// Who belongs to one agency of the directory.
    pub fn needs_agency(self) -> bool {
        self == Self::Handler
    }
}

/// Whether `viewer` may see the identity of a denouncer whose opinion
/// `recorded_by` recorded, in the minutes: only the secretary who recorded
/// it. Everyone else, another secretary of the same commune included, sees
/// the protected label. Follow-up has its own rule, [`handles_identity`].
pub fn sees_identity(viewer: &UserId, role: Role, recorded_by: Option<&UserId>) -> bool {
    role == Role::Secretary && recorded_by == Some(viewer)
}

/// Whether a user of `role` (and of `own_agency`, for a handler) handles
/// an item assigned to `item_agency`, and so sees its denouncer's identity
/// (DOMAIN.md): the office that assigns it and the handler of its agency.
/// Observers, administrators and other agencies never do.
pub fn handles_identity(role: Role, own_agency: Option<&AgencyId>, item_agency: &AgencyId) -> bool {
    match role {
        Role::Reviewer => true,
        Role::Handler => own_agency == Some(item_agency),
        Role::Secretary | Role::Admin | Role::Observer => false,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    Province,
    Commune,
}

/// An administrative unit as of today's two-tier map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub code: UnitCode,
    pub name: String,
    pub level: UnitLevel,
    pub parent_code: Option<UnitCode>,
}

/// Whether a user attached to `user_unit` may see records of `unit`, whose
/// parent is `unit_parent`. The map has two tiers, so a unit and its
/// children are the whole scope.
pub fn in_scope(user_unit: &UnitCode, unit: &UnitCode, unit_parent: Option<&UnitCode>) -> bool {
    user_unit == unit || unit_parent == Some(user_unit)
}

/// The logged-in user as the browser keeps it, so the app works offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// None: the whole country (administrators).
    pub unit_code: Option<UnitCode>,
    /// The units this user may record dialogues for, code and name.
    pub units: Vec<(UnitCode, String)>,
    /// Unix milliseconds when the server session ends.
    pub expires_at: i64,
    /// Days finalised, synced minutes stay on the tablet before they leave
    /// it (they stay on the server): the deployment's setting.
    #[serde(default = "default_keep_days")]
    pub keep_finalised_days: u32,
}

/// Finalised minutes stay on a tablet this long unless the deployment says.
pub const KEEP_FINALISED_DAYS: u32 = 30;

fn default_keep_days() -> u32 {
    KEEP_FINALISED_DAYS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_covers_own_unit_and_children_only() {
        let province = UnitCode::parse("14").unwrap();
        let commune = UnitCode::parse("04021").unwrap();
        let other = UnitCode::parse("01").unwrap();
        assert!(in_scope(&province, &province, None));
        assert!(in_scope(&province, &commune, Some(&province)));
        assert!(!in_scope(&commune, &province, None));
        assert!(!in_scope(&other, &commune, Some(&province)));
    }

    #[test]
    fn only_the_recording_secretary_sees_a_denouncer() {
        let (me, other) = (UserId::new(), UserId::new());
        assert!(sees_identity(&me, Role::Secretary, Some(&me)));
        assert!(!sees_identity(&me, Role::Secretary, Some(&other)));
        assert!(!sees_identity(&me, Role::Secretary, None));
        assert!(!sees_identity(&me, Role::Reviewer, Some(&me)));
        assert!(!sees_identity(&me, Role::Admin, Some(&me)));
    }

    #[test]
    fn in_follow_up_the_assigning_office_and_the_agencys_handler_see_a_denouncer() {
        let (ours, theirs) = (AgencyId::new(), AgencyId::new());
        assert!(handles_identity(Role::Reviewer, None, &ours));
        assert!(handles_identity(Role::Handler, Some(&ours), &ours));
        assert!(!handles_identity(Role::Handler, Some(&theirs), &ours));
        assert!(!handles_identity(Role::Handler, None, &ours));
        for role in [Role::Observer, Role::Admin, Role::Secretary] {
            assert!(!handles_identity(role, Some(&ours), &ours), "{role:?}");
        }
    }
}
