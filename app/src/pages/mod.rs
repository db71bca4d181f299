//! One module per screen.

pub mod admin;
pub mod capture;
pub mod edit;
pub mod fields;
pub mod home;
pub mod login;
pub mod print;
pub mod review;
pub mod review_detail;
