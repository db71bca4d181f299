//! One module per screen.

#[cfg(not(feature = "field-bundle"))]
pub mod admin;
#[cfg(not(feature = "field-bundle"))]
pub mod attachments;
pub mod capture;
#[cfg(not(feature = "field-bundle"))]
pub mod compliance;
pub mod edit;
pub mod fields;
#[cfg(not(feature = "field-bundle"))]
pub mod follow_up;
pub mod home;
pub mod login;
#[cfg(not(feature = "field-bundle"))]
pub mod plan;
#[cfg(not(feature = "field-bundle"))]
pub mod print;
#[cfg(not(feature = "field-bundle"))]
pub mod reports;
#[cfg(not(feature = "field-bundle"))]
pub mod review;
#[cfg(not(feature = "field-bundle"))]
pub mod review_detail;
#[cfg(not(feature = "field-bundle"))]
pub mod settings;
