//! HTTP handlers, one module per area. Handlers are thin: parse, authorise,
//! call the domain, persist, answer.

pub mod admin;
pub mod agencies;
pub mod attachments;
pub mod calendar;
pub mod compliance;
pub mod dialogues;
pub mod documents;
pub mod exports;
pub mod follow_up;
pub mod plan;
pub mod publication;
pub mod reports;
pub mod session;
pub mod sync;
pub mod units;
