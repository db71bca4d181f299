//! The province's deadlines on the working calendar, as one request needs
//! them: each province's rules ([`DeadlineRules`]) and the calendar read
//! once, then [`Calendar::due`] and [`Calendar::lead_ends`] asked as often
//! as the request's rows need. Every deadline the server shows or counts
//! (notice, reply, publication, announcement) comes through here.

use chrono::NaiveDate;
use shared::calendar::{Calendar, DeadlineRules, Period};
use shared::UnitCode;
use std::collections::HashMap;

use crate::db::Pool;
use crate::error::{AppError, AppResult};
use crate::routes::calendar::{calendar_from, rules_of};

/// Each province's rules and the calendar, read once per request.
pub struct Deadlines<'p> {
    pool: &'p Pool,
    rules: HashMap<String, DeadlineRules>,
    calendar: Option<(NaiveDate, Calendar)>,
}

impl<'p> Deadlines<'p> {
    pub fn new(pool: &'p Pool) -> Self {
        Self {
            pool,
            rules: HashMap::new(),
            calendar: None,
        }
    }

    pub async fn rules(&mut self, province: &str) -> AppResult<DeadlineRules> {
        if let Some(r) = self.rules.get(province) {
            return Ok(*r);
        }
        let code = UnitCode::parse(province)
            .map_err(|_| AppError::Corrupt("a stored unit code is malformed"))?;
        let rules = rules_of(self.pool, &code).await?;
        self.rules.insert(province.to_owned(), rules);
        Ok(rules)
    }

    /// The calendar from `start` on (reloaded when asked about earlier days).
    async fn calendar(&mut self, start: NaiveDate) -> AppResult<&Calendar> {
        let stale = self.calendar.as_ref().is_none_or(|(from, _)| start < *from);
        if stale {
            let from = start - chrono::Days::new(366);
            self.calendar = Some((from, calendar_from(self.pool, from).await?));
        }
        Ok(&self.calendar.as_ref().expect("loaded above").1)
    }

    /// The last day of the province's period `which` after `event`.
    pub async fn due(
        &mut self,
        province: &str,
        which: fn(&DeadlineRules) -> Period,
        event: NaiveDate,
    ) -> AppResult<NaiveDate> {
        self.count(province, which, event, Calendar::due).await
    }

    /// The last day to do what the province's period `which` asks ahead of
    /// `event` (the announcement before the dialogue).
    pub async fn lead_ends(
        &mut self,
        province: &str,
        which: fn(&DeadlineRules) -> Period,
        event: NaiveDate,
    ) -> AppResult<NaiveDate> {
        self.count(province, which, event, Calendar::lead_ends)
            .await
    }

    async fn count(
        &mut self,
        province: &str,
        which: fn(&DeadlineRules) -> Period,
        event: NaiveDate,
        counted: fn(&Calendar, NaiveDate, Period) -> NaiveDate,
    ) -> AppResult<NaiveDate> {
        let period = which(&self.rules(province).await?);
        Ok(counted(self.calendar(event).await?, event, period))
    }
}
