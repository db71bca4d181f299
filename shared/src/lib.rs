//! The Doithoai domain: dialogues with citizens, the opinions raised in them,
//! units, users and the sync protocol's messages. No I/O lives here, so the
//! server, the browser and the tests all call the same rules.

pub mod admin;
pub mod attachment;
pub mod calendar;
pub mod compliance;
pub mod dialogue;
pub mod error;
pub mod follow_up;
pub mod ids;
pub mod opinion;
pub mod plan;
pub mod public;
pub mod report;
pub mod review;
pub mod spoken;
pub mod sync;
pub mod text;
pub mod user;

pub use dialogue::{Audience, Dialogue, DialogueKind, DialogueStatus, Signatures};
pub use error::{DomainError, ErrorBody, ErrorDetail, Lang};
pub use ids::{AgencyId, DeviceId, DialogueId, OpinionId, UnitCode, UserId};
pub use opinion::{FollowUp, FollowUpState, Opinion, OpinionKind, SubjectField};
pub use user::{LoginRequest, Role, SessionUser, Unit, UnitLevel};
