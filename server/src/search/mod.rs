//! What text a record is found by: folded (lower case, no diacritics) so that
//! "dat dai" finds "đất đai"; and how a query finds it through each engine's
//! trigram index (SQLite FTS5, PostgreSQL pg_trgm's GIN; migrations 0004
//! and 0013), kept current by [`index`]. Either index is keyed by record
//! version, so a search joins it to the records by version and never finds
//! a replaced text. A denouncer's identity is never indexed.

use shared::text::fold;
use shared::{Dialogue, Opinion};

use crate::db::Engine;
use crate::AppState;

pub mod index;

/// Shorter folded queries have no trigram to look up.
const TRIGRAM: usize = 3;
/// Above this many matching opinions a query counts as common.
pub const COMMON: i64 = 5_000;

/// A search of the review list for a folded substring of a dialogue's text
/// or of any of its opinions' texts. A rare string is found through the
/// trigram index, then its dialogues sorted; a common one (the probe finds
/// more than `common_above` opinions) instead walks the list in its order and
/// checks each dialogue's opinions, stopping at a page: either way a page
/// reads a few thousand rows, not every match.
pub struct Match {
    engine: Engine,
    folded: String,
    common_above: i64,
}

impl Match {
    /// A search of the index as it stands after every committed write.
    pub async fn current(state: &AppState, query: &str) -> Result<Self, sqlx::Error> {
        index::catch_up(&state.pool, state.engine).await?;
        Ok(Self::new(
            state.engine,
            query,
            state.config.search_common_above,
        ))
    }

    pub fn new(engine: Engine, query: &str, common_above: i64) -> Self {
        Self {
            engine,
            folded: fold(query.trim()),
            common_above,
        }
    }

    /// Whether the trigram index can narrow the search (on either engine,
    /// a string of fewer than three letters holds no trigram).
    fn indexed(&self) -> bool {
        self.folded.chars().count() >= TRIGRAM
    }

    /// Whether more than `common_above` opinions match, anywhere (a plan choice,
    /// never shown). A string too short for the index counts as common.
    pub async fn is_common(&self, pool: &crate::db::Pool) -> Result<bool, sqlx::Error> {
        if !self.indexed() {
            return Ok(true);
        }
        let sql = match self.engine {
            Engine::Sqlite => "SELECT COUNT(*) FROM (SELECT 1 FROM opinions_search WHERE opinions_search MATCH $1 LIMIT $2)",
            Engine::Postgres => "SELECT COUNT(*) FROM (SELECT 1 FROM opinions_search WHERE search_text LIKE $1 LIMIT $2) m",
        };
        let (n,): (i64,) = sqlx::query_as(sql)
            .bind(self.value(false))
            .bind(self.common_above + 1)
            .fetch_one(pool)
            .await?;
        Ok(n > self.common_above)
    }

    /// The condition on `d` (the dialogue), with `?` where [`Match::value`]
    /// goes (several times; all take the same value).
    pub fn clause(&self, common: bool) -> &'static str {
        match (common, self.engine) {
            (true, _) => " AND (d.search_text LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM opinions o WHERE o.dialogue_id = d.id AND o.search_text LIKE ? ESCAPE '\\'))",
            (false, Engine::Sqlite) => " AND d.id IN (SELECT d2.id FROM dialogues_search s JOIN dialogues d2 ON d2.version = s.rowid WHERE dialogues_search MATCH ? \
                 UNION SELECT o.dialogue_id FROM opinions_search s JOIN opinions o ON o.version = s.rowid WHERE opinions_search MATCH ?)",
            // PostgreSQL's GIN trigram indexes serve LIKE themselves.
            (false, Engine::Postgres) => " AND d.id IN (SELECT d2.id FROM dialogues_search s JOIN dialogues d2 ON d2.version = s.version WHERE s.search_text LIKE ? \
                 UNION SELECT o.dialogue_id FROM opinions_search s JOIN opinions o ON o.version = s.version WHERE s.search_text LIKE ?)",
        }
    }

    /// The condition on a follow-up item `i` whose opinion matches, with
    /// one `?` for [`Match::item_value`]: through the trigram index when the
    /// string has a trigram, else checked item by item.
    pub fn item_clause(&self) -> &'static str {
        match (self.indexed(), self.engine) {
            (false, _) => "EXISTS (SELECT 1 FROM opinions o WHERE o.id = i.opinion_id AND o.search_text LIKE ? ESCAPE '\\')",
            (true, Engine::Sqlite) => "i.opinion_id IN (SELECT o.id FROM opinions_search s JOIN opinions o ON o.version = s.rowid WHERE opinions_search MATCH ?)",
            (true, Engine::Postgres) => "i.opinion_id IN (SELECT o.id FROM opinions_search s JOIN opinions o ON o.version = s.version WHERE s.search_text LIKE ? ESCAPE '\\')",
        }
    }

    /// What [`Match::item_clause`]'s `?` takes.
    pub fn item_value(&self) -> String {
        self.value(!self.indexed())
    }

    /// What the clause's `?` take: a LIKE pattern, or (SQLite's index) an
    /// FTS5 phrase, which the trigram tokenizer matches as a substring.
    pub fn value(&self, common: bool) -> String {
        if !common && self.engine == Engine::Sqlite {
            format!("\"{}\"", self.folded.replace('"', "\"\""))
        } else {
            like_pattern(&self.folded)
        }
    }
}

pub fn dialogue_search_text(d: &Dialogue) -> String {
    fold(
        &[
            &d.topic,
            &d.venue,
            &d.audience_group,
            &d.chair_name,
            &d.invited_agencies,
            &d.conclusion,
        ]
        .map(|s| s.as_str())
        .join("\n"),
    )
}

/// `protected`: the opinion is or ever was a denunciation.
pub fn opinion_search_text(o: &Opinion, protected: bool) -> String {
    let (name, address) = if protected || o.is_denunciation() {
        ("", "")
    } else {
        (o.speaker_name.as_str(), o.speaker_address.as_str())
    };
    fold(
        &[
            name,
            address,
            &o.content,
            &o.answer,
            &o.answered_by,
            &o.follow_up.proposed_agency,
        ]
        .join("\n"),
    )
}

/// The LIKE pattern for a folded query, with LIKE's wildcards escaped.
pub fn like_pattern(folded: &str) -> String {
    let escaped = folded
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{DialogueId, OpinionKind};

    #[test]
    fn a_denouncer_is_not_searchable() {
        let mut o = Opinion::new(DialogueId::new(), 1);
        o.kind = OpinionKind::Denunciation;
        o.speaker_name = "Trần Thị Hoa".into();
        o.content = "Tố cáo lấn chiếm đất".into();
        let text = opinion_search_text(&o, false);
        assert!(!text.contains("hoa"));
        assert!(text.contains("lan chiem dat"));
        o.kind = OpinionKind::Proposal;
        assert!(
            !opinion_search_text(&o, true).contains("hoa"),
            "nor once it was one"
        );
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("dat_dai 100%"), "%dat\\_dai 100\\%%");
    }

    #[test]
    fn sqlite_searches_a_quoted_trigram_phrase_and_short_queries_walk() {
        let phrase = Match::new(Engine::Sqlite, " Đất \"đai\" ", COMMON);
        assert_eq!(phrase.value(false), "\"dat \"\"dai\"\"\"");
        assert!(phrase.clause(false).contains("MATCH"));
        assert_eq!(phrase.value(true), "%dat \"dai\"%");
        assert!(!Match::new(Engine::Sqlite, "đà", COMMON).indexed());
        assert!(!Match::new(Engine::Postgres, "đà", COMMON).indexed());
        assert!(Match::new(Engine::Postgres, "đất", COMMON).indexed());
    }
}
