//! `doithoai render-samples DIR`: every document the product makes, written
//! as DOCX and PDF files from the demo data, so anyone can open them and
//! look: the minutes in both versions (sent outside, kept on file), the
//! conclusion notice, an invitation, a reminder to an agency, the annual
//! plan, and a commune's and the province's annual report. Each is made by
//! the same handler, with the same access rules, as a download from the
//! screens, for the office that would download it.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Datelike;
use shared::report::{NewReport, ReportPeriod};
use shared::UnitCode;
use std::path::{Path as FilePath, PathBuf};

use crate::body::{JsonBody, Params};
use crate::demo::user;
use crate::documents::minutes::Version;
use crate::documents::Format;
use crate::error::{AppError, AppResult};
use crate::routes::{documents, plan, reports};
use crate::AppState;

/// The demo's first commune and its office (see `demo.rs`).
const OFFICE: &str = "tonghop1";
const PROVINCE_OFFICE: &str = "tonghop0";

/// The files written so far, into one folder.
struct Samples<'a> {
    dir: &'a FilePath,
    made: Vec<PathBuf>,
}

impl Samples<'_> {
    /// Writes the answer as `name` with the format's extension.
    async fn write(
        &mut self,
        name: &str,
        format: Format,
        answer: AppResult<Response>,
    ) -> AppResult<()> {
        let bytes = axum::body::to_bytes(answer?.into_body(), usize::MAX)
            .await
            .map_err(|_| AppError::Corrupt("a document could not be read back"))?;
        let extension = match format {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        };
        let path = self.dir.join(format!("{name}.{extension}"));
        std::fs::write(&path, bytes)
            .map_err(|_| AppError::Corrupt("a sample could not be written"))?;
        self.made.push(path);
        Ok(())
    }
}

/// Writes every sample into `dir` (the demo must be seeded in `state`);
/// the files written.
pub async fn render(state: &AppState, dir: &FilePath) -> AppResult<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|_| AppError::Corrupt("the samples folder"))?;
    let office = user(state, OFFICE).await?;
    let unit = office
        .unit_code
        .clone()
        .ok_or(AppError::Corrupt("the demo office has a unit"))?;
    // A dialogue of the commune with a notice and a denunciation: the
    // minutes show the protected label outside and the name on file.
    let (dialogue,): (String,) = sqlx::query_as(
        "SELECT n.dialogue_id FROM conclusion_notices n JOIN dialogues d ON d.id = n.dialogue_id \
         WHERE d.unit_code = $1 AND EXISTS (SELECT 1 FROM opinions o WHERE o.dialogue_id = n.dialogue_id AND o.protected = 1) \
         ORDER BY n.issued_on LIMIT 1",
    )
    .bind(unit.as_str())
    .fetch_one(&state.pool)
    .await?;
    // The commune's next planned dialogue: its invitation and the plan.
    let (planned, plan_year): (String, i64) =
        sqlx::query_as("SELECT dialogue_id, year FROM plan_entries WHERE unit_code = $1 LIMIT 1")
            .bind(unit.as_str())
            .fetch_one(&state.pool)
            .await?;
    // The agency owing the commune's office the most items.
    let soon =
        state.config.clock.today() + chrono::Days::new(shared::follow_up::DUE_SOON_DAYS as u64);
    let owing: Option<(String,)> = sqlx::query_as(
        "SELECT agency_id FROM follow_items WHERE unit_code = $1 AND stage = 'assigned' AND due <= $2 \
         GROUP BY agency_id ORDER BY COUNT(*) DESC, agency_id LIMIT 1",
    )
    .bind(unit.as_str())
    .bind(soon.to_string())
    .fetch_optional(&state.pool)
    .await?;
    // This year's reports: the commune's, and the province's summing its
    // communes.
    let year = state.config.clock.today().year();
    let mut reports_made = Vec::new();
    for (username, name) in [
        (OFFICE, "bao-cao-nam-xa"),
        (PROVINCE_OFFICE, "bao-cao-nam-tinh"),
    ] {
        let office = user(state, username).await?;
        let unit_code: UnitCode = office
            .unit_code
            .clone()
            .ok_or(AppError::Corrupt("the demo office has a unit"))?;
        let (_, report) = reports::create(
            State(state.clone()),
            office.clone(),
            JsonBody(NewReport {
                unit_code,
                period: ReportPeriod::Year,
                year,
                starts_on: None,
                ends_on: None,
            }),
        )
        .await?;
        reports_made.push((office, name, report.0.id.clone()));
    }

    let mut samples = Samples {
        dir,
        made: Vec::new(),
    };
    let at = |id: &String| Ok(Path(id.clone()));
    for format in [Format::Docx, Format::Pdf] {
        for (version, name) in [
            (Version::Outside, "bien-ban-gui-ra-ngoai"),
            (Version::Full, "bien-ban-luu-ho-so"),
        ] {
            let params = Params(documents::MinutesParams { version });
            let answer = documents::minutes_document(
                State(state.clone()),
                office.clone(),
                at(&dialogue),
                format,
                params,
            );
            samples.write(name, format, answer.await).await?;
        }
        let answer =
            documents::notice_document(State(state.clone()), office.clone(), at(&dialogue), format);
        samples
            .write("thong-bao-ket-luan", format, answer.await)
            .await?;
        let answer = documents::invitation_document(
            State(state.clone()),
            office.clone(),
            at(&planned),
            format,
        );
        samples.write("giay-moi", format, answer.await).await?;
        let params = Params(plan::PlanParams {
            unit: unit.clone(),
            year: plan_year as i32,
        });
        let answer = plan::document(State(state.clone()), office.clone(), format, params);
        samples.write("ke-hoach", format, answer.await).await?;
        if let Some((agency,)) = &owing {
            let answer = documents::reminder_document(
                State(state.clone()),
                office.clone(),
                at(agency),
                format,
            );
            samples
                .write("cong-van-don-doc", format, answer.await)
                .await?;
        }
        for (office, name, id) in &reports_made {
            let answer = reports::document(State(state.clone()), office.clone(), format, at(id));
            samples.write(name, format, answer.await).await?;
        }
    }
    Ok(samples.made)
}
