//! `doithoai render-samples DIR`: every document the product makes, written
//! as files from the demo data, so anyone can open them in Word or
//! LibreOffice and look: the minutes in both versions (sent outside, kept
//! on file), the conclusion notice, an invitation, a reminder to an
//! agency, the annual plan, and a commune's and the province's annual
//! report. Each is made by the same handler, with the same access rules,
//! as a download from the screens, for the office that would download it.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Datelike;
use shared::report::{NewReport, ReportPeriod};
use shared::UnitCode;
use std::path::{Path as FilePath, PathBuf};

use crate::body::{JsonBody, Params};
use crate::demo::user;
use crate::documents::minutes::Version;
use crate::error::{AppError, AppResult};
use crate::routes::{documents, plan, reports};
use crate::AppState;

/// The demo's first commune and its office (see `demo.rs`).
const OFFICE: &str = "tonghop1";
const PROVINCE_OFFICE: &str = "tonghop0";

async fn body(answer: AppResult<Response>) -> AppResult<Vec<u8>> {
    let answer = answer?;
    axum::body::to_bytes(answer.into_body(), usize::MAX)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| AppError::Corrupt("a document could not be read back"))
}

fn write(dir: &FilePath, name: &str, bytes: &[u8], made: &mut Vec<PathBuf>) -> AppResult<()> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|_| AppError::Corrupt("a sample could not be written"))?;
    made.push(path);
    Ok(())
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
    let mut made = Vec::new();

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
    for (version, name) in [
        (Version::Outside, "bien-ban-gui-ra-ngoai.docx"),
        (Version::Full, "bien-ban-luu-ho-so.docx"),
    ] {
        let bytes = body(
            documents::minutes_docx(
                State(state.clone()),
                office.clone(),
                Ok(Path(dialogue.clone())),
                Params(documents::MinutesParams { version }),
            )
            .await,
        )
        .await?;
        write(dir, name, &bytes, &mut made)?;
    }
    let bytes = body(
        documents::notice_docx(State(state.clone()), office.clone(), Ok(Path(dialogue))).await,
    )
    .await?;
    write(dir, "thong-bao-ket-luan.docx", &bytes, &mut made)?;

    // The commune's next planned dialogue: its invitation and the plan.
    let (planned, year): (String, i64) =
        sqlx::query_as("SELECT dialogue_id, year FROM plan_entries WHERE unit_code = $1 LIMIT 1")
            .bind(unit.as_str())
            .fetch_one(&state.pool)
            .await?;
    let bytes = body(
        documents::invitation_docx(State(state.clone()), office.clone(), Ok(Path(planned))).await,
    )
    .await?;
    write(dir, "giay-moi.docx", &bytes, &mut made)?;
    let bytes = body(
        plan::document(
            State(state.clone()),
            office.clone(),
            Params(plan::PlanParams {
                unit: unit.clone(),
                year: year as i32,
            }),
        )
        .await,
    )
    .await?;
    write(dir, "ke-hoach.docx", &bytes, &mut made)?;

    // A reminder to the agency owing the commune's office the most items.
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
    if let Some((agency,)) = owing {
        let bytes = body(
            documents::reminder_docx(State(state.clone()), office.clone(), Ok(Path(agency))).await,
        )
        .await?;
        write(dir, "cong-van-don-doc.docx", &bytes, &mut made)?;
    }

    // This year's reports: the commune's, and the province's summing its
    // communes.
    let year = state.config.clock.today().year();
    for (username, name) in [
        (OFFICE, "bao-cao-nam-xa.docx"),
        (PROVINCE_OFFICE, "bao-cao-nam-tinh.docx"),
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
        let bytes = body(
            reports::document(State(state.clone()), office, Ok(Path(report.0.id.clone()))).await,
        )
        .await?;
        write(dir, name, &bytes, &mut made)?;
    }
    Ok(made)
}
