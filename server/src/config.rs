//! Configuration from environment variables, with defaults that run the app
//! on embedded SQLite at http://127.0.0.1:3000.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite:path` (default `sqlite:data/doithoai.db`) or `postgres://…`.
    pub database_url: String,
    pub addr: SocketAddr,
    /// The built browser bundle (`target/site`, made by `cargo run -p xtask`).
    pub site_root: PathBuf,
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// The first administrator's password; generated when unset.
    pub admin_password: Option<String>,
    /// Days finalised, synced minutes stay on a tablet.
    pub device_keep_days: u32,
    /// Behind a reverse proxy: take the client's address from the last
    /// `X-Forwarded-For` entry (the proxy's), not the connection.
    pub trust_forwarded: bool,
    /// Matching opinions above which a search walks the list instead of
    /// collecting every match ([`crate::search::Match`]). Not read from the
    /// environment: tests lower it to try both plans.
    pub search_common_above: i64,
    /// What day it is for deadlines: the real date, or a test's.
    pub clock: crate::clock::Clock,
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let addr = var("DOITHOAI_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        Ok(Self {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite:data/doithoai.db".into()),
            addr: addr
                .parse()
                .map_err(|_| format!("DOITHOAI_ADDR is not an address: {addr}"))?,
            site_root: var("DOITHOAI_SITE_ROOT")
                .unwrap_or_else(|| "target/site".into())
                .into(),
            secure_cookies: var("DOITHOAI_SECURE_COOKIES").is_some_and(|v| v == "1" || v == "true"),
            admin_password: var("DOITHOAI_ADMIN_PASSWORD"),
            trust_forwarded: var("DOITHOAI_TRUST_FORWARDED")
                .is_some_and(|v| v == "1" || v == "true"),
            device_keep_days: match var("DOITHOAI_DEVICE_KEEP_DAYS") {
                None => shared::user::KEEP_FINALISED_DAYS,
                Some(days) => days.parse().map_err(|_| {
                    format!("DOITHOAI_DEVICE_KEEP_DAYS is not a number of days: {days}")
                })?,
            },
            search_common_above: crate::search::COMMON,
            clock: crate::clock::Clock::default(),
        })
    }

    /// Defaults for tests: the given database, no site, a fixed admin
    /// password, and a clock fixed on Monday 2 March 2026.
    pub fn for_tests(database_url: &str, site_root: PathBuf) -> Self {
        Self {
            database_url: database_url.to_owned(),
            addr: "127.0.0.1:0".parse().expect("valid"),
            site_root,
            secure_cookies: false,
            admin_password: Some("admin-password".into()),
            device_keep_days: shared::user::KEEP_FINALISED_DAYS,
            trust_forwarded: false,
            search_common_above: crate::search::COMMON,
            clock: crate::clock::Clock::fixed(
                chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("a real date"),
            ),
        }
    }
}
