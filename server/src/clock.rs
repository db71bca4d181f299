//! "Today" for deadlines: the date in Vietnam by the server's clock, or a
//! date a test fixed. Every rule that asks what day it is asks this one
//! clock, so no test depends on the real date.

use chrono::NaiveDate;
use std::sync::{Arc, RwLock};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Arc<RwLock<Option<NaiveDate>>>,
}

impl Clock {
    /// A clock that says `today` until told otherwise.
    pub fn fixed(today: NaiveDate) -> Self {
        Self {
            fixed: Arc::new(RwLock::new(Some(today))),
        }
    }

    pub fn today(&self) -> NaiveDate {
        let fixed = *self.fixed.read().unwrap_or_else(|e| e.into_inner());
        fixed
            .or_else(|| shared::calendar::vietnam_date(crate::db::now_ms()))
            .unwrap_or_default()
    }

    /// Now, in Unix milliseconds, for what is recorded as done on a day
    /// that deadlines compare (a publication): on a fixed clock, noon in
    /// Vietnam of the fixed day.
    pub fn now_ms(&self) -> i64 {
        let fixed = *self.fixed.read().unwrap_or_else(|e| e.into_inner());
        match fixed.and_then(|d| d.and_hms_opt(5, 0, 0)) {
            Some(noon_in_vietnam) => noon_in_vietnam.and_utc().timestamp_millis(),
            None => crate::db::now_ms(),
        }
    }

    /// Moves a fixed clock (tests).
    pub fn set_today(&self, today: NaiveDate) {
        *self.fixed.write().unwrap_or_else(|e| e.into_inner()) = Some(today);
    }
}
