//! `doithoai seed-demo`: fills an empty database with a realistic province
//! (Phú Thọ and eight of its communes) so a new user can try every screen:
//! agencies, users of every role with their passwords, a year of dialogues
//! with opinions, follow-up in every state, overdue and extended items
//! included, most results published, and each unit's next periodic
//! dialogue in its plan. Everything goes through the same handlers as the API, so the
//! demo data obeys every rule real data does; "today" is moved through the
//! year on the app's clock as events happen.

use axum::extract::{Path, State};
use chrono::{Days, NaiveDate};
use shared::admin::{NewAgency, NewUser};
use shared::follow_up::api::{Assignment, NewEvent, NewNotice};
use shared::follow_up::Event;
use shared::sync::{Change, Entity, PushRequest};
use shared::{
    AgencyId, DeviceId, Dialogue, DialogueKind, Opinion, OpinionKind, Role, SubjectField, UnitCode,
};

use crate::auth::{user_from_row, CurrentUser};
use crate::body::JsonBody;
use crate::error::{AppError, AppResult};
use crate::routes::follow_up::{items, notice};
use crate::routes::{admin, agencies, plan, publication, sync};
use crate::AppState;

const PROVINCE: &str = "25";
const COMMUNES: usize = 8;
/// Dialogues per commune over the year (one a quarter), and the province's.
const DIALOGUES_PER_UNIT: u64 = 4;

/// A user the demo made: user name, role, unit and password.
pub struct DemoUser {
    pub username: String,
    pub role: Role,
    pub unit: String,
    pub password: String,
}

/// Opinions as citizens raise them: kind, field, words, the agency the
/// meeting proposes (by its place in the unit's directory).
const OPINIONS: [(OpinionKind, SubjectField, &str, usize); 10] = [
    (OpinionKind::Proposal, SubjectField::Infrastructure, "Đề nghị sửa chữa đoạn đường liên thôn bị sạt lở sau mưa lớn, xe cứu thương không vào được.", 2),
    (OpinionKind::Report, SubjectField::Environment, "Phản ánh nước suối bị ô nhiễm do chất thải từ cơ sở chế biến sắn đầu bản.", 3),
    (OpinionKind::Proposal, SubjectField::Land, "Kiến nghị cấp giấy chứng nhận quyền sử dụng đất cho 12 hộ đã sử dụng ổn định từ năm 1995.", 3),
    (OpinionKind::Complaint, SubjectField::SocialPolicy, "Khiếu nại việc gia đình không được xét hỗ trợ hộ cận nghèo năm nay.", 2),
    (OpinionKind::Denunciation, SubjectField::Land, "Tố cáo việc lấn chiếm đất công để xây quán bán hàng ven quốc lộ.", 0),
    (OpinionKind::Report, SubjectField::Other, "Phản ánh quán karaoke gây ồn sau 23 giờ trong khu dân cư.", 0),
    (OpinionKind::Proposal, SubjectField::SocialPolicy, "Đề nghị trạm y tế bố trí bác sĩ trực cuối tuần để khám cho trẻ em.", 1),
    (OpinionKind::Proposal, SubjectField::AdministrativeProcedure, "Đề nghị hướng dẫn thủ tục đăng ký hộ kinh doanh qua mạng nhanh gọn hơn.", 2),
    (OpinionKind::Comment, SubjectField::Infrastructure, "Góp ý lắp đèn chiếu sáng tại ngã ba gần chợ phiên.", 2),
    (OpinionKind::Proposal, SubjectField::Environment, "Kiến nghị hỗ trợ giống cây trồng cho các hộ bị thiệt hại do lũ quét.", 3),
];

/// Each commune's directory, in the order [`OPINIONS`] refers to.
const COMMUNE_AGENCIES: [&str; 4] = [
    "Công an xã",
    "Trạm Y tế xã",
    "Văn phòng HĐND và UBND xã",
    "Phòng Kinh tế xã",
];
const PROVINCE_AGENCIES: [&str; 4] = [
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Y tế",
    "Thanh tra tỉnh",
];

const NAMES: [&str; 8] = [
    "Nguyễn Văn Đức",
    "Lò Thị Mai",
    "Hoàng Văn Tuấn",
    "Lường Thị Hoa",
    "Đinh Công Sơn",
    "Bùi Thị Ngọc",
    "Hà Văn Thắng",
    "Xa Thị Lan",
];

/// A small fixed generator: the same demo every time.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn demo_error(what: &'static str) -> AppError {
    AppError::Corrupt(what)
}

/// The demo's user `username`, as the handlers take it.
pub(crate) async fn user(state: &AppState, username: &str) -> AppResult<CurrentUser> {
    let row = sqlx::query(
        "SELECT id, username, display_name, role, unit_code, agency_id, 0 AS expires_at FROM users WHERE username = $1",
    )
    .bind(username)
    .fetch_one(&state.pool)
    .await?;
    user_from_row(&row)
}

/// Seeds the demo, or refuses a database that holds dialogues already.
pub async fn seed(state: &AppState) -> AppResult<Vec<DemoUser>> {
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM dialogues")
        .fetch_one(&state.pool)
        .await?;
    if existing > 0 {
        return Err(AppError::client(
            axum::http::StatusCode::CONFLICT,
            "not_empty",
            "Cơ sở dữ liệu đã có dữ liệu đối thoại; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống",
            "The database holds dialogues already: the demo only fills an empty one",
        ));
    }
    let admin = user(state, "admin").await?;
    let _ = admin::import_units(State(state.clone()), admin.clone()).await?;
    let province = UnitCode::parse(PROVINCE).map_err(|_| demo_error("the demo province code"))?;
    let communes: Vec<(String,)> =
        sqlx::query_as("SELECT code FROM units WHERE parent_code = $1 ORDER BY code LIMIT $2")
            .bind(PROVINCE)
            .bind(COMMUNES as i64)
            .fetch_all(&state.pool)
            .await?;
    let mut units = vec![province.clone()];
    for (code,) in communes {
        units.push(UnitCode::parse(&code).map_err(|_| demo_error("a commune code"))?);
    }
    let mut made = Vec::new();
    let mut add_user = |username: String, role: Role, unit: &UnitCode, agency: Option<AgencyId>| {
        let password = crate::auth::new_token()[..12].to_owned();
        made.push(DemoUser {
            username: username.clone(),
            role,
            unit: unit.to_string(),
            password: password.clone(),
        });
        NewUser {
            username,
            password,
            display_name: String::new(),
            role,
            unit_code: Some(unit.clone()),
            agency_id: agency,
        }
    };
    let mut new_users = Vec::new();
    // Each unit's directory, in the order OPINIONS refers to.
    let mut directory: Vec<Vec<AgencyId>> = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        let names: &[&str] = if u == 0 {
            &PROVINCE_AGENCIES
        } else {
            &COMMUNE_AGENCIES
        };
        let mut ids = Vec::new();
        for (a, name) in names.iter().enumerate() {
            let (_, created) = agencies::create(
                State(state.clone()),
                admin.clone(),
                JsonBody(NewAgency {
                    unit_code: unit.clone(),
                    name: (*name).to_owned(),
                }),
            )
            .await?;
            ids.push(created.0.id);
            new_users.push(add_user(
                format!("xuly{u}_{a}"),
                Role::Handler,
                unit,
                Some(created.0.id),
            ));
        }
        directory.push(ids);
        new_users.push(add_user(format!("thuky{u}"), Role::Secretary, unit, None));
        new_users.push(add_user(format!("tonghop{u}"), Role::Reviewer, unit, None));
    }
    new_users.push(add_user("mttq0".into(), Role::Observer, &province, None));
    for (i, mut new) in new_users.into_iter().enumerate() {
        new.display_name = format!("{} ({})", NAMES[i % NAMES.len()], new.username);
        let _ = admin::create_user(State(state.clone()), admin.clone(), JsonBody(new)).await?;
    }

    let today = state.config.clock.today();
    let mut dice = Dice(2026);
    for (u, unit) in units.iter().enumerate() {
        let secretary = user(state, &format!("thuky{u}")).await?;
        let office = user(state, &format!("tonghop{u}")).await?;
        let device = DeviceId::new();
        let mut seq = 0;
        for q in 0..DIALOGUES_PER_UNIT {
            // Spread over the year before today, the latest a few days ago.
            let held =
                today - Days::new(3 + (DIALOGUES_PER_UNIT - 1 - q) * 90 + (u as u64 * 7) % 60);
            let (d, opinions) = meeting(unit, held, &mut dice, &directory[u], &directory[0]);
            seq =
                record_minutes(state, &secretary, device, seq, d.clone(), &opinions, held).await?;
            // The latest dialogues still wait for their notice; one of
            // them is late.
            let late_notice = u == 2 && q == DIALOGUES_PER_UNIT - 1;
            if held + Days::new(10) >= today || late_notice {
                continue;
            }
            let issued_on = held + Days::new(2 + dice.below(7) as u64);
            state.config.clock.set_today(issued_on);
            let assignments = opinions
                .iter()
                .filter(|(o, _)| o.needs_follow_up)
                .map(|(o, agency)| Assignment {
                    opinion_id: o.id,
                    agency_id: *agency,
                    instructions: String::new(),
                })
                .collect();
            let _ = notice::issue(
                State(state.clone()),
                office.clone(),
                Ok(Path(d.id.to_string())),
                JsonBody(NewNotice {
                    number: format!("{}/TB-UBND", 10 + q * 7 + u as u64),
                    issued_on,
                    conclusion: "Giao các cơ quan chuyên môn kiểm tra, giải quyết và trả lời công dân theo thẩm quyền.".into(),
                    assignments,
                }),
            )
            .await?;
            for (o, agency) in opinions.iter().filter(|(o, _)| o.needs_follow_up) {
                follow(
                    state,
                    &mut dice,
                    &office,
                    o,
                    *agency,
                    &directory[0],
                    issued_on,
                    today,
                )
                .await?;
            }
            // Most offices publish the results; some are late or forget.
            if dice.below(4) > 0 {
                state.config.clock.set_today(today);
                let _ = publication::publish(
                    State(state.clone()),
                    office.clone(),
                    Ok(Path(d.id.to_string())),
                )
                .await?;
            }
        }
    }
    state.config.clock.set_today(today);
    plan_next(state, &units, today).await?;
    Ok(made)
}

/// Each unit's next periodic dialogue in its plan, on its way to the
/// secretaries' tablets: most announced in time, one not announced with
/// its last day passed (flagged late).
async fn plan_next(state: &AppState, units: &[UnitCode], today: NaiveDate) -> AppResult<()> {
    use chrono::Datelike;
    use shared::plan::{Announcement, Means, PlanEntry};
    for (u, unit) in units.iter().enumerate() {
        let office = user(state, &format!("tonghop{u}")).await?;
        let late = u == 3;
        let day = today + Days::new(if late { 5 } else { 12 + 3 * u as u64 });
        let entry = PlanEntry {
            unit_code: unit.clone(),
            year: day.year(),
            month: day.month(),
            kind: DialogueKind::Periodic,
            audience: shared::Audience::People,
            audience_group: String::new(),
            topic: format!(
                "Đối thoại định kỳ tháng {} năm {} với Nhân dân",
                day.month(),
                day.year()
            ),
            planned_at: format!("{day}T08:00"),
            venue: "Hội trường UBND".into(),
            chair_name: NAMES[u % NAMES.len()].into(),
            chair_title: "Chủ tịch UBND".into(),
        };
        let (_, line) = plan::create(State(state.clone()), office.clone(), JsonBody(entry)).await?;
        if !late {
            let announcement = Announcement {
                on: today - Days::new(1),
                means: vec![Means::NoticeBoard, Means::Loudspeaker],
            };
            let _ = plan::announce(
                State(state.clone()),
                office,
                Ok(Path(line.0.dialogue_id.to_string())),
                JsonBody(announcement),
            )
            .await?;
        }
    }
    Ok(())
}

/// A dialogue held on `held` with its opinions, each that needs follow-up
/// with the agency that will get it: the commune's, or for a denunciation
/// and land matters sometimes the province's.
fn meeting(
    unit: &UnitCode,
    held: NaiveDate,
    dice: &mut Dice,
    own: &[AgencyId],
    province: &[AgencyId],
) -> (Dialogue, Vec<(Opinion, AgencyId)>) {
    let mut d = Dialogue::new(unit.clone());
    d.kind = if dice.below(4) == 0 {
        DialogueKind::OnRequest
    } else {
        DialogueKind::Periodic
    };
    d.topic = "Đối thoại trực tiếp với Nhân dân về đất đai, môi trường và chính sách xã hội".into();
    d.venue = "Hội trường UBND".into();
    d.planned_at = format!("{held}T08:00");
    d.chair_name = NAMES[dice.below(NAMES.len())].into();
    d.chair_title = "Chủ tịch UBND".into();
    d.secretary_name = NAMES[dice.below(NAMES.len())].into();
    d.citizens_attending = 40 + dice.below(80) as u32;
    d.conclusion = "Các ý kiến được tiếp thu, giao cơ quan chuyên môn giải quyết.".into();
    let count = 3 + dice.below(5);
    let opinions = (0..count)
        .map(|i| {
            let (kind, field, content, agency) = OPINIONS[dice.below(OPINIONS.len())];
            let mut o = Opinion::new(d.id, i as i64 + 1);
            o.kind = kind;
            o.field = field;
            o.speaker_name = format!("Ông/Bà {}", NAMES[dice.below(NAMES.len())]);
            o.speaker_address = format!("Thôn {}", 1 + dice.below(9));
            o.content = content.into();
            let to = if kind == OpinionKind::Denunciation || dice.below(6) == 0 {
                province[agency % province.len()]
            } else {
                own[agency]
            };
            if kind == OpinionKind::Comment || dice.below(3) == 0 {
                o.answer = "Đã giải thích, công dân đồng ý.".into();
                o.answered_by = "Chủ tịch UBND".into();
            } else {
                o.refer("");
            }
            (o, to)
        })
        .collect();
    (d, opinions)
}

/// Pushes the minutes as the secretary's tablet would, then finalises them.
/// Returns the device's last sequence number.
async fn record_minutes(
    state: &AppState,
    secretary: &CurrentUser,
    device: DeviceId,
    mut seq: u64,
    mut d: Dialogue,
    opinions: &[(Opinion, AgencyId)],
    held: NaiveDate,
) -> AppResult<u64> {
    let mut changes = vec![Entity::Dialogue(d.clone())];
    changes.extend(opinions.iter().map(|(o, _)| Entity::Opinion(o.clone())));
    let mut push = |entity: Entity, base_version: i64| {
        seq += 1;
        Change {
            seq,
            base_version,
            client_time: 0,
            entity,
        }
    };
    let first: Vec<Change> = changes.into_iter().map(|e| push(e, 0)).collect();
    push_applied(
        state,
        secretary,
        PushRequest {
            device_id: device,
            changes: first,
        },
    )
    .await?;
    let (version,): (i64,) = sqlx::query_as("SELECT version FROM dialogues WHERE id = $1")
        .bind(d.id.to_string())
        .fetch_one(&state.pool)
        .await?;
    // 08:00 in Vietnam is 01:00 UTC.
    let started = held
        .and_hms_opt(1, 0, 0)
        .ok_or(demo_error("a start time"))?
        .and_utc()
        .timestamp_millis();
    d.start(started)?;
    d.end(started + 3 * 3_600_000)?;
    let (secretary_name, chair) = (d.secretary_name.clone(), d.chair_name.clone());
    d.finalise(&secretary_name, &chair, started + 3 * 3_600_000)?;
    let last = push(Entity::Dialogue(d), version);
    push_applied(
        state,
        secretary,
        PushRequest {
            device_id: device,
            changes: vec![last],
        },
    )
    .await?;
    Ok(seq)
}

/// Pushes a batch; every change must be applied.
async fn push_applied(
    state: &AppState,
    secretary: &CurrentUser,
    batch: PushRequest,
) -> AppResult<()> {
    let answer = sync::push(State(state.clone()), secretary.clone(), JsonBody(batch)).await?;
    if answer
        .0
        .verdicts
        .iter()
        .all(|v| v.outcome == shared::sync::Outcome::Applied)
    {
        Ok(())
    } else {
        Err(demo_error("a demo change was not applied"))
    }
}

/// Lives one item from its notice to today: most replied on time, some
/// late, some extended as complex or forwarded up, some still open (and
/// overdue when their due date has passed); the office closes or reminds.
#[allow(clippy::too_many_arguments)]
async fn follow(
    state: &AppState,
    dice: &mut Dice,
    office: &CurrentUser,
    opinion: &Opinion,
    agency: AgencyId,
    province: &[AgencyId],
    issued_on: NaiveDate,
    today: NaiveDate,
) -> AppResult<()> {
    let (handler_name,): (String,) =
        sqlx::query_as("SELECT username FROM users WHERE agency_id = $1")
            .bind(agency.to_string())
            .fetch_one(&state.pool)
            .await?;
    let handler = user(state, &handler_name).await?;
    let due = issued_on + Days::new(30);
    let mut revision = 1;
    let mut at = |who: &CurrentUser, day: NaiveDate, event: Event| {
        let (who, opinion) = (who.clone(), opinion.id);
        let body = NewEvent { revision, event };
        revision += 1;
        async move {
            if day > today {
                return Ok(false);
            }
            state.config.clock.set_today(day);
            items::record(
                State(state.clone()),
                who,
                Ok(Path(opinion.to_string())),
                JsonBody(body),
            )
            .await
            .map(|_| true)
        }
    };
    let progress = Event::Progress {
        note: "Đã xác minh tại thực địa, làm việc với các hộ liên quan.".into(),
    };
    if !at(&handler, issued_on + Days::new(5), progress).await? {
        return Ok(());
    }
    let number = format!("{}/UBND", 100 + dice.below(800));
    let reply = |on: NaiveDate| Event::Replied {
        number: number.clone(),
        on,
        summary: "Đã kiểm tra, giải quyết theo quy định và trả lời công dân bằng văn bản.".into(),
    };
    match dice.below(10) {
        // Replied on time, then closed with the citizen's answer.
        0..=3 => {
            let on = issued_on + Days::new(12 + dice.below(15) as u64);
            if at(&handler, on, reply(on)).await? {
                let satisfied = dice.below(5) > 0;
                at(office, on + Days::new(3), Event::Satisfaction { satisfied }).await?;
                at(office, on + Days::new(4), Event::Closed).await?;
            }
        }
        // Replied late.
        4 | 5 => {
            let on = due + Days::new(3 + dice.below(10) as u64);
            at(
                office,
                due + Days::new(1),
                Event::Reminded {
                    note: "Công văn đôn đốc trả lời công dân.".into(),
                },
            )
            .await?;
            at(&handler, on, reply(on)).await?;
        }
        // A complex matter: a new due date, then maybe the reply.
        6 => {
            let new_due = due + Days::new(30);
            let extended = Event::Extended {
                due: new_due,
                reason: "Vụ việc phức tạp, cần đo đạc lại hiện trạng.".into(),
            };
            if at(&handler, due - Days::new(5), extended).await? {
                let on = new_due - Days::new(4);
                at(&handler, on, reply(on)).await?;
            }
        }
        // Beyond the commune's authority: forwarded to the province.
        7 => {
            let to = province[dice.below(province.len())];
            if to != agency {
                at(&handler, issued_on + Days::new(8), Event::Forwarded { to }).await?;
            }
        }
        // Still with the agency: overdue once its due date passes.
        _ => {
            at(
                office,
                due + Days::new(2),
                Event::Reminded {
                    note: "Đôn đốc lần 1.".into(),
                },
            )
            .await?;
        }
    }
    Ok(())
}
