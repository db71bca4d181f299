//! Test harness: each test starts the real server on a random port with its
//! own fresh database (a temp SQLite file, or a new PostgreSQL database).

#![allow(dead_code)]

pub mod docx;
pub mod pdf;

use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use server::Config;
use shared::sync::{Change, Entity, Outcome, PushRequest, PushResponse};
use shared::{DeviceId, Dialogue, Opinion, UnitCode};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// PostgreSQL server for tests; each test creates its own database on it.
pub fn pg_base() -> String {
    std::env::var("DOITHOAI_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A fresh, empty database URL for one test.
pub async fn fresh_database(engine: Engine) -> String {
    let name = format!("doithoai_test_{}", uuid::Uuid::now_v7().simple());
    match engine {
        Engine::Sqlite => {
            let dir = std::env::temp_dir().join("doithoai-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite:{}", dir.join(format!("{name}.db")).display())
        }
        Engine::Postgres => {
            use sqlx::Connection;
            let mut admin = sqlx::PgConnection::connect(&format!("{}/postgres", pg_base()))
                .await
                .expect("PostgreSQL must be running at 127.0.0.1:5432");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await
                .unwrap();
            format!("{}/{name}", pg_base())
        }
    }
}

pub struct TestApp {
    pub addr: String,
    pub database_url: String,
    pub pool: server::db::Pool,
    pub admin: Client,
    /// The server's "today" (fixed on 2 March 2026 until a test moves it).
    pub clock: server::clock::Clock,
}

pub const PASSWORD: &str = "mat-khau-thu-nghiem";
/// Codes from the official list: Hà Nội, two of its wards, and a ward of
/// Cao Bằng, another province.
pub const HANOI: &str = "01";
pub const HOAN_KIEM: &str = "00070";
pub const CUA_NAM: &str = "00073";
pub const CAO_BANG: &str = "04";
pub const THUC_PHAN: &str = "01273";

impl TestApp {
    pub async fn spawn(engine: Engine) -> Self {
        Self::spawn_with_site(engine, PathBuf::from("/nonexistent-site")).await
    }

    pub async fn spawn_with_site(engine: Engine, site: PathBuf) -> Self {
        Self::spawn_with(engine, |c| c.site_root = site).await
    }

    /// A server whose test configuration `adjust` changes.
    pub async fn spawn_with(engine: Engine, adjust: impl FnOnce(&mut Config)) -> Self {
        let url = fresh_database(engine).await;
        let mut config = Config::for_tests(&url, PathBuf::from("/nonexistent-site"));
        adjust(&mut config);
        let (state, _) = server::prepare(config).await.expect("server starts");
        let pool = state.pool.clone();
        let clock = state.config.clock.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(server::run(listener, state, std::future::pending()));
        let admin = admin_session(&addr).await;
        Self {
            addr,
            database_url: url,
            pool,
            admin,
            clock,
        }
    }

    /// Another server instance on this test's database; its base address.
    pub async fn another_instance(&self) -> String {
        let config = Config::for_tests(&self.database_url, PathBuf::from("/nonexistent-site"));
        let (state, _) = server::prepare(config).await.expect("server starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(server::run(listener, state, std::future::pending()));
        addr
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.addr)
    }

    pub async fn login(&self, client: &Client, username: &str, password: &str) -> Response {
        login(client, &self.addr, username, password).await
    }

    /// Creates a user and returns a client logged in as them.
    pub async fn user(&self, username: &str, role: &str, unit: &str) -> Client {
        create_user(&self.admin, &self.addr, username, role, unit).await;
        signed_in(&self.addr, username).await
    }

    /// Adds an agency to a unit's directory.
    pub async fn agency(&self, unit: &str, name: &str) -> shared::AgencyId {
        let created: Value = self
            .admin
            .post(self.url("/api/admin/agencies"))
            .json(&json!({ "unit_code": unit, "name": name }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        shared::AgencyId::parse(created["id"].as_str().unwrap()).unwrap()
    }

    /// Creates a handler of `agency` and returns a client logged in as them.
    pub async fn handler(&self, username: &str, unit: &str, agency: shared::AgencyId) -> Client {
        let created = self
            .admin
            .post(self.url("/api/admin/users"))
            .json(&json!({ "username": username, "password": PASSWORD, "display_name": format!("Cán bộ {username}"),
                           "role": "handler", "unit_code": unit, "agency_id": agency }))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
        signed_in(&self.addr, username).await
    }

    pub async fn push(&self, client: &Client, batch: &PushRequest) -> Response {
        client
            .post(self.url("/api/sync/push"))
            .json(batch)
            .send()
            .await
            .unwrap()
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM {table}"
        )))
        .fetch_one(&self.pool)
        .await
        .unwrap()
        .get::<i64, _>("n")
    }

    pub async fn detail(&self, client: &Client, id: &str) -> Response {
        client
            .get(self.url(&format!("/api/dialogues/{id}")))
            .send()
            .await
            .unwrap()
    }
}

pub async fn login(client: &Client, addr: &str, username: &str, password: &str) -> Response {
    client
        .post(format!("{addr}/api/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
}

/// A client logged in as an existing user with the test password.
pub async fn signed_in(addr: &str, username: &str) -> Client {
    let session = client();
    login(&session, addr, username, PASSWORD)
        .await
        .error_for_status()
        .unwrap();
    session
}

/// Logs in as the first administrator and loads the unit list.
pub async fn admin_session(addr: &str) -> Client {
    let admin = client();
    login(&admin, addr, "admin", "admin-password")
        .await
        .error_for_status()
        .unwrap();
    let imported = admin
        .post(format!("{addr}/api/admin/units/import"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), StatusCode::OK);
    admin
}

/// Creates a user with the test password, named `Cán bộ <username>`.
pub async fn create_user(admin: &Client, addr: &str, username: &str, role: &str, unit: &str) {
    let body = json!({ "username": username, "password": PASSWORD, "display_name": format!("Cán bộ {username}"), "role": role, "unit_code": unit });
    let created = admin
        .post(format!("{addr}/api/admin/users"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.status(),
        StatusCode::CREATED,
        "{}",
        created.text().await.unwrap()
    );
}

/// GETs JSON, failing the test on an error status.
pub async fn get_json<T: serde::de::DeserializeOwned>(client: &Client, url: &str) -> T {
    let response = client.get(url).send().await.unwrap();
    assert!(
        response.status().is_success(),
        "GET {url}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

pub fn client() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

/// A client connecting from its own loopback address (127.0.0.`n`): another
/// machine, as far as the server can tell.
pub fn client_from(n: u8) -> Client {
    Client::builder()
        .cookie_store(true)
        .local_address(std::net::IpAddr::from([127, 0, 0, n]))
        .build()
        .unwrap()
}

/// A dialogue with Vietnamese text, in a unit.
pub fn dialogue(unit: &str) -> Dialogue {
    let mut d = Dialogue::new(UnitCode::parse(unit).unwrap());
    d.topic = "Đối thoại về đất đai và đường liên thôn".into();
    d.venue = "Nhà văn hóa bản Giàng".into();
    d.planned_at = "2026-11-20T08:00".into();
    d
}

pub fn opinion(d: &Dialogue, position: i64, text: &str) -> Opinion {
    let mut o = Opinion::new(d.id, position);
    o.speaker_name = "Ông Nguyễn Văn Đức".into();
    o.speaker_address = "bản Giàng".into();
    o.content = text.into();
    o
}

/// Builds a contiguous batch from `first_seq` on.
pub fn batch(device: DeviceId, first_seq: u64, entities: Vec<Entity>) -> PushRequest {
    PushRequest {
        device_id: device,
        changes: entities
            .into_iter()
            .enumerate()
            .map(|(i, entity)| Change {
                seq: first_seq + i as u64,
                base_version: 0,
                client_time: 1,
                entity,
            })
            .collect(),
    }
}

/// Records a meeting as a secretary's tablet would: the dialogue and its
/// opinions, then the minutes started at `started_ms` and finalised three
/// hours later, on the server at `base`.
pub async fn push_finalised(
    base: &str,
    secretary: &Client,
    d: &mut Dialogue,
    opinions: &[Opinion],
    started_ms: i64,
) {
    let device = DeviceId::new();
    let mut entities = vec![Entity::Dialogue(d.clone())];
    entities.extend(opinions.iter().cloned().map(Entity::Opinion));
    let seq = entities.len() as u64 + 1;
    let push = |body: PushRequest| async move {
        secretary
            .post(format!("{base}/api/sync/push"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
    };
    push(batch(device, 1, entities)).await;
    let pulled: shared::sync::PullResponse =
        get_json(secretary, &format!("{base}/api/sync/pull?since=0")).await;
    let version = pulled
        .dialogues
        .iter()
        .find(|v| v.item.id == d.id)
        .unwrap()
        .version;
    d.start(started_ms).unwrap();
    d.finalise("Lò Thị Mai", "Nguyễn Văn Đức", started_ms + 3 * 3_600_000)
        .unwrap();
    push(PushRequest {
        device_id: device,
        changes: vec![Change {
            seq,
            base_version: version,
            client_time: started_ms,
            entity: Entity::Dialogue(d.clone()),
        }],
    })
    .await;
}

/// Unix milliseconds of `hh:00` in Hà Nội (UTC+7) on `day` (`YYYY-MM-DD`).
pub fn hanoi_ms(day: &str, hour: u32) -> i64 {
    let day: chrono::NaiveDate = day.parse().unwrap();
    day.and_hms_opt(hour, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
        - 7 * 3_600_000
}

/// The outcome of each change of a push, in order.
pub fn outcomes(answer: &PushResponse) -> Vec<Outcome> {
    answer.verdicts.iter().map(|v| v.outcome).collect()
}

/// The error code of a JSON error answer; checks the shape on the way.
pub async fn error_code(response: Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.expect("errors are JSON");
    let error = &body["error"];
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "Vietnamese message in {body}"
    );
    assert!(
        error["message_en"].as_str().is_some_and(|m| !m.is_empty()),
        "English message in {body}"
    );
    (
        status,
        error["code"].as_str().unwrap_or_default().to_owned(),
    )
}

/// Runs each listed scenario on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::common::Engine::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::common::Engine::Postgres).await })*
        }
    };
}

/// Vietnamese sentences to build realistic opinions from; picked by a fixed
/// generator so every run sends the same bytes.
pub const SENTENCES: [&str; 12] = [
    "Đề nghị chính quyền xã sớm sửa chữa đoạn đường liên thôn bị sạt lở sau mưa lớn.",
    "Nhân dân phản ánh nước suối Nậm Pàn bị ô nhiễm do chất thải từ cơ sở chế biến.",
    "Kiến nghị cấp giấy chứng nhận quyền sử dụng đất cho các hộ đã sử dụng ổn định.",
    "Hộ gia đình chưa nhận được tiền hỗ trợ theo chính sách giảm nghèo năm trước.",
    "Đề nghị làm rõ việc thu hồi đất để mở rộng trường tiểu học của bản.",
    "Trạm y tế thiếu bác sĩ, người dân phải đi xa để khám bệnh cho trẻ em.",
    "Phản ánh tình trạng xe tải chở quá tải làm hư hỏng cầu tràn đầu bản.",
    "Đề nghị hướng dẫn thủ tục đăng ký hộ kinh doanh nhanh gọn hơn.",
    "Kiến nghị hỗ trợ giống cây trồng cho các hộ bị thiệt hại do lũ quét.",
    "Người dân chưa được thông báo kết quả giải quyết đơn từ tháng trước.",
    "Đề nghị lắp đặt đèn chiếu sáng tại ngã ba gần chợ phiên.",
    "Phản ánh việc xây dựng nhà văn hóa thôn chậm tiến độ so với kế hoạch.",
];

pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Random text from the sentences' words: it compresses like prose, not like
/// one sentence repeated.
pub fn words(rng: &mut Rng, bytes: usize) -> String {
    let vocabulary: Vec<&str> = SENTENCES.iter().flat_map(|s| s.split(' ')).collect();
    let mut text = String::new();
    while text.len() < bytes {
        text.push_str(vocabulary[rng.next(vocabulary.len())]);
        text.push(' ');
    }
    text
}

/// A bench's setting from the environment, or its default.
pub fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The `p` quantile (0 to 1) of sorted durations, in milliseconds; 0 when
/// there are none.
pub fn percentile_ms(sorted: &[std::time::Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3
}

/// Rows per multi-row INSERT when a bench fills a database.
pub const ROWS_PER_INSERT: usize = 500;

/// Inserts `rows` rows of `width` columns, `ROWS_PER_INSERT` per statement,
/// in one transaction; `bind` binds row `i`'s values.
pub async fn insert_rows<'q>(
    pool: &server::db::Pool,
    head: &str,
    width: usize,
    rows: std::ops::Range<usize>,
    bind: impl Fn(
        usize,
        sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
) {
    let mut tx = pool.begin().await.unwrap();
    let all: Vec<usize> = rows.collect();
    for chunk in all.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "{head} VALUES {}",
            server::db::rows_of(server::db::Engine::of(&tx), chunk.len(), width)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for &i in chunk {
            query = bind(i, query);
        }
        query.execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

/// After rows were inserted as a sync would have written them: the version
/// clock moved past them and the search index caught up, as the pushes
/// that write such rows leave them.
pub async fn settle_synced_rows(pool: &server::db::Pool) {
    sqlx::query(
        "UPDATE sync_clock SET version = (SELECT MAX(v) FROM (SELECT version AS v FROM sync_clock \
         UNION ALL SELECT MAX(version) FROM dialogues UNION ALL SELECT MAX(version) FROM opinions) m) WHERE id = 1",
    )
    .execute(pool)
    .await
    .unwrap();
    server::search::index::catch_up(pool, server::db::Engine::of_pool(pool))
        .await
        .unwrap();
}

/// Inserts `dialogues` as rows a sync would have written, recorded by
/// `recorder`: the `n`th at version `first_version + n`, with the row
/// status `status` (`None`: the dialogue's own) and the search text
/// `search(n)`.
pub async fn insert_dialogue_rows(
    pool: &server::db::Pool,
    dialogues: &[Dialogue],
    recorder: &str,
    first_version: i64,
    status: Option<&str>,
    search: impl Fn(usize) -> String,
) {
    insert_rows(
        pool,
        "INSERT INTO dialogues (id, unit_code, kind, status, planned_at, data, search_text, version, conflict, last_device, created_by, first_received_at, updated_at)",
        13,
        0..dialogues.len(),
        |n, q| {
            let d = &dialogues[n];
            q.bind(d.id.to_string())
                .bind(d.unit_code.as_str().to_owned())
                .bind(d.kind.as_str())
                .bind(status.unwrap_or(d.status.as_str()).to_owned())
                .bind(d.planned_at.clone())
                .bind(serde_json::to_string(d).unwrap())
                .bind(search(n))
                .bind(first_version + n as i64)
                .bind(0_i64)
                .bind("bench")
                .bind(recorder.to_owned())
                .bind(0_i64)
                .bind(0_i64)
        },
    )
    .await;
}

/// Issues `d`'s conclusion notice on `on` (the clock moved to that day) as
/// `office`, each opinion to its agency.
pub async fn issue_notice(
    app: &TestApp,
    office: &Client,
    d: &Dialogue,
    on: &str,
    to: &[(&Opinion, shared::AgencyId)],
) {
    app.clock.set_today(on.parse().unwrap());
    let assignments: Vec<Value> = to
        .iter()
        .map(|(o, a)| json!({ "opinion_id": o.id, "agency_id": a }))
        .collect();
    let answer = office
        .post(app.url(&format!("/api/dialogues/{}/notice", d.id)))
        .json(&json!({ "number": "3/TB-UBND", "issued_on": on,
                       "conclusion": "Giao các cơ quan giải quyết.", "assignments": assignments }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.status(),
        StatusCode::CREATED,
        "{}",
        answer.text().await.unwrap()
    );
}
