//! The 6-month and annual reports (issue 13): a seeded Hà Nội whose
//! figures this test works out by hand (which dialogues fall in the
//! period, which opinions were answered, replied on time or late, are
//! overdue or still open); the draft changed on the revision read, issued
//! with its number and never changed after; the DOCX with seed 003's
//! structure; no denouncer anywhere; who reads and who writes.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shared::report::{Charts, Counts, Report, ReportLine};
use shared::{Audience, Dialogue, DialogueKind, Opinion, OpinionKind, SubjectField};

const DENOUNCER: &str = "Trần Thị Hoa";
const DENOUNCER_ADDRESS: &str = "số 9 ngõ Hàng Bạc";
const DENOUNCER_ID: &str = "001188776655";
const DENOUNCED: &str = "Tố cáo việc lấn chiếm vỉa hè để thu tiền trông xe";

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

struct Seeded {
    app: TestApp,
    /// The offices of Hoàn Kiếm and of Hà Nội.
    ward: Client,
    city: Client,
}

fn said(
    d: &Dialogue,
    position: i64,
    kind: OpinionKind,
    field: SubjectField,
    text: &str,
) -> Opinion {
    let mut o = opinion(d, position, text);
    o.kind = kind;
    o.field = field;
    o
}

async fn reply(s: &Seeded, handler: &Client, o: &Opinion, on: &str) {
    s.app.clock.set_today(day(on));
    let answer = handler
        .post(s.app.url(&format!("/api/items/{}/events", o.id)))
        .json(
            &json!({ "revision": 1, "event": { "event": "replied", "number": "5/CV",
                       "on": on, "summary": "Đã giải quyết" } }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.status(),
        StatusCode::OK,
        "{}",
        answer.text().await.unwrap()
    );
}

/// Hà Nội's year, dialogue by dialogue:
/// - A, Hoàn Kiếm, periodic with the people, held 27 Feb 2026 (planned for
///   November), 87 citizens:
///   a proposal answered there; a report replied on time; a denunciation
///   assigned and never replied (due 1 April).
/// - B, Hoàn Kiếm, ad hoc with the people, held 10 July, 20 citizens: a
///   complaint replied late; a comment answered there.
/// - C, Cửa Nam, on request with the staff, held 5 March, 15 citizens: a
///   proposal to follow up, no notice yet.
/// - D, Hoàn Kiếm, planned for 1 March and never held; E, held 10 Dec
///   2025, before the period: neither counts.
async fn seeded(engine: Engine) -> Seeded {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let cua_nam = app.user("thukycn", "secretary", CUA_NAM).await;
    let ward = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let city = app.user("tonghoptp", "reviewer", HANOI).await;
    let police = app.agency(HOAN_KIEM, "Công an phường Hoàn Kiếm").await;
    let inspectors = app.agency(HANOI, "Thanh tra thành phố").await;
    let police_officer = app.handler("conganp", HOAN_KIEM, police).await;
    let s = Seeded { app, ward, city };

    // A keeps the day it was first planned for, in November: the day it
    // was held is what counts.
    let mut a = dialogue(HOAN_KIEM);
    assert_eq!(a.planned_at, "2026-11-20T08:00");
    a.citizens_attending = 87;
    let a1 = said(
        &a,
        1,
        OpinionKind::Proposal,
        SubjectField::Land,
        "Cấp sổ đỏ",
    );
    let mut a2 = said(
        &a,
        2,
        OpinionKind::Report,
        SubjectField::Infrastructure,
        "Đèn đường hỏng",
    );
    a2.refer("Công an phường");
    let mut a3 = said(
        &a,
        3,
        OpinionKind::Denunciation,
        SubjectField::Other,
        DENOUNCED,
    );
    a3.speaker_name = DENOUNCER.into();
    a3.speaker_address = DENOUNCER_ADDRESS.into();
    a3.speaker_id_number = DENOUNCER_ID.into();
    a3.refer("Thanh tra thành phố");
    let a_opinions = [a1, a2, a3];
    push_finalised(
        &s.app.addr,
        &secretary,
        &mut a,
        &a_opinions,
        hanoi_ms("2026-02-27", 8),
    )
    .await;
    issue_notice(
        &s.app,
        &s.ward,
        &a,
        "2026-03-02",
        &[(&a_opinions[1], police), (&a_opinions[2], inspectors)],
    )
    .await;
    reply(&s, &police_officer, &a_opinions[1], "2026-03-20").await;

    let mut b = dialogue(HOAN_KIEM);
    b.kind = DialogueKind::AdHoc;
    b.planned_at = "2026-07-10T14:00".into();
    b.citizens_attending = 20;
    let mut b1 = said(
        &b,
        1,
        OpinionKind::Complaint,
        SubjectField::Land,
        "Khiếu nại quyết định thu hồi đất",
    );
    b1.refer("Công an phường");
    let b2 = said(
        &b,
        2,
        OpinionKind::Comment,
        SubjectField::Environment,
        "Góp ý trồng cây",
    );
    let b_opinions = [b1, b2];
    push_finalised(
        &s.app.addr,
        &secretary,
        &mut b,
        &b_opinions,
        hanoi_ms("2026-07-10", 14),
    )
    .await;
    issue_notice(
        &s.app,
        &s.ward,
        &b,
        "2026-07-13",
        &[(&b_opinions[0], police)],
    )
    .await;
    // Due 30 days after 13 July: 12 August; replied on the 20th.
    reply(&s, &police_officer, &b_opinions[0], "2026-08-20").await;

    let mut c = dialogue(CUA_NAM);
    c.kind = DialogueKind::OnRequest;
    c.audience = Audience::Staff;
    c.planned_at = "2026-03-05T08:00".into();
    c.citizens_attending = 15;
    let mut c1 = said(
        &c,
        1,
        OpinionKind::Proposal,
        SubjectField::SocialPolicy,
        "Trợ cấp",
    );
    c1.refer("Phòng Văn hóa - Xã hội");
    push_finalised(
        &s.app.addr,
        &cua_nam,
        &mut c,
        &[c1],
        hanoi_ms("2026-03-05", 8),
    )
    .await;

    let mut d = dialogue(HOAN_KIEM);
    d.planned_at = "2026-03-01T08:00".into();
    let pushed = s
        .app
        .push(
            &secretary,
            &batch(
                shared::DeviceId::new(),
                1,
                vec![shared::sync::Entity::Dialogue(d)],
            ),
        )
        .await;
    assert_eq!(pushed.status(), StatusCode::OK);
    let mut e = dialogue(HOAN_KIEM);
    e.planned_at = "2025-12-10T08:00".into();
    let e1 = said(&e, 1, OpinionKind::Proposal, SubjectField::Land, "Năm cũ");
    push_finalised(
        &s.app.addr,
        &secretary,
        &mut e,
        &[e1],
        hanoi_ms("2025-12-10", 8),
    )
    .await;
    s
}

async fn open(s: &Seeded, office: &Client, unit: &str, period: &str) -> Report {
    let answer = office
        .post(s.app.url("/api/reports"))
        .json(&json!({ "unit_code": unit, "period": period, "year": 2026 }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.status(),
        StatusCode::CREATED,
        "{}",
        answer.text().await.unwrap()
    );
    answer.json().await.unwrap()
}

/// The figures as (dialogues, participants, opinions, answered, needing
/// follow-up, assigned, on time, late, overdue, forwarded, still open).
fn outcome(c: &Counts) -> [u32; 11] {
    [
        c.dialogues,
        c.participants,
        c.opinions,
        c.answered_at_meeting,
        c.needing_follow_up,
        c.assigned,
        c.replied_on_time,
        c.replied_late,
        c.overdue,
        c.forwarded,
        c.still_open,
    ]
}

async fn a_report_counts_exactly_the_dialogues_held_in_its_period_and_a_province_sums_its_communes(
    engine: Engine,
) {
    let s = seeded(engine).await;
    s.app.clock.set_today(day("2026-06-20"));
    let half = open(&s, &s.ward, HOAN_KIEM, "half_year").await;
    assert_eq!(
        (half.starts_on, half.ends_on),
        (day("2025-12-15"), day("2026-06-14"))
    );
    let c = &half.figures.total;
    // A alone: B is after 14 June, C is Cửa Nam's, D not held, E before.
    assert_eq!(outcome(c), [1, 87, 3, 1, 2, 2, 1, 0, 1, 0, 1]);
    assert_eq!(
        (c.dialogues_by_kind, c.dialogues_by_audience),
        ([1, 0, 0, 0], [1, 0, 0, 0])
    );
    assert_eq!(
        (c.opinions_by_kind, c.opinions_by_field),
        ([1, 1, 0, 1, 0], [1, 0, 0, 1, 0, 1])
    );
    assert_eq!(half.figures.units.len(), 1, "a ward's report is the ward's");

    s.app.clock.set_today(day("2026-12-20"));
    let year = open(&s, &s.city, HANOI, "year").await;
    let c = &year.figures.total;
    assert_eq!(outcome(c), [3, 122, 6, 2, 4, 3, 1, 1, 1, 0, 2]);
    assert_eq!(
        (c.dialogues_by_kind, c.dialogues_by_audience),
        ([1, 1, 1, 0], [2, 1, 0, 0])
    );
    assert_eq!(
        (c.opinions_by_kind, c.opinions_by_field),
        ([2, 1, 1, 1, 1], [2, 1, 1, 1, 0, 1])
    );
    let unit = |code: &str| {
        year.figures
            .units
            .iter()
            .find(|u| u.unit_code.as_str() == code)
            .unwrap_or_else(|| panic!("{code} in the province's table"))
    };
    assert_eq!(
        outcome(&unit(HOAN_KIEM).counts),
        [2, 107, 5, 2, 3, 3, 1, 1, 1, 0, 1]
    );
    assert_eq!(
        outcome(&unit(CUA_NAM).counts),
        [1, 15, 1, 0, 1, 0, 0, 0, 0, 0, 1]
    );
    let mut summed = Counts::default();
    year.figures
        .units
        .iter()
        .for_each(|u| summed.add(&u.counts));
    assert_eq!(&summed, c, "the province's figures are its units' sum");
    // The one overdue item, its words and its denouncer kept out.
    let notable = &year.figures.notable;
    assert_eq!(notable.len(), 1);
    assert_eq!(
        (
            notable[0].unit_name.as_str(),
            notable[0].agency.as_str(),
            notable[0].summary.as_str()
        ),
        ("Phường Hoàn Kiếm", "Thanh tra thành phố", "")
    );
    assert_eq!(
        (notable[0].due, notable[0].days_late),
        (
            day("2026-04-01"),
            (day("2026-12-20") - day("2026-04-01")).num_days()
        )
    );
    let body = s
        .city
        .get(s.app.url(&format!("/api/reports/{}", year.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for private in [DENOUNCER, DENOUNCER_ADDRESS, DENOUNCER_ID, DENOUNCED] {
        assert!(!body.contains(private), "«{private}» in a report");
    }
}

async fn a_draft_changes_on_the_revision_read_and_an_issued_report_never_changes(engine: Engine) {
    let s = seeded(engine).await;
    s.app.clock.set_today(day("2026-06-20"));
    let draft = open(&s, &s.ward, HOAN_KIEM, "half_year").await;
    assert_eq!(draft.revision, 1);
    assert!(draft.issued.is_none());
    assert!(
        draft.narrative.leadership.contains("Phường Hoàn Kiếm"),
        "a first draft to change"
    );
    let again = s
        .ward
        .post(s.app.url("/api/reports"))
        .json(&json!({ "unit_code": HOAN_KIEM, "period": "half_year", "year": 2026 }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(again).await,
        (StatusCode::CONFLICT, "report_exists".into())
    );

    let url = s.app.url(&format!("/api/reports/{}", draft.id));
    let mut narrative = draft.narrative.clone();
    narrative.proposals = "Đề nghị tỉnh hỗ trợ kinh phí chỉnh trang vỉa hè.".into();
    narrative.signer_name = "Nguyễn Văn Đức".into();
    let saved = s
        .ward
        .put(&url)
        .json(&json!({ "revision": 1, "narrative": narrative }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: Report = saved.json().await.unwrap();
    assert_eq!(
        (saved.revision, saved.narrative.signer_name.as_str()),
        (2, "Nguyễn Văn Đức")
    );

    // A second writer on the first revision is refused, shown the report.
    let mut theirs = draft.narrative.clone();
    theirs.proposals = "Không.".into();
    let stale = s
        .ward
        .put(&url)
        .json(&json!({ "revision": 1, "narrative": theirs }))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let stale: Value = stale.json().await.unwrap();
    assert_eq!(stale["error"]["code"], "stale");
    assert_eq!(
        stale["current"]["narrative"]["signer_name"],
        "Nguyễn Văn Đức"
    );

    // Bad input in both languages, nothing stored.
    let mut long = narrative.clone();
    long.assessment = "đ".repeat(20_001);
    let refused = s
        .ward
        .put(&url)
        .json(&json!({ "revision": 2, "narrative": long }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused: Value = refused.json().await.unwrap();
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Đánh giá chung"));
    assert!(refused["error"]["message_en"]
        .as_str()
        .unwrap()
        .contains("assessment"));
    for (body, code) in [
        (
            json!({ "unit_code": HOAN_KIEM, "period": "year", "year": 1900 }),
            "out_of_range",
        ),
        (
            json!({ "unit_code": HOAN_KIEM, "period": "quarter", "year": 2026 }),
            "invalid_json",
        ),
        (
            json!({ "unit_code": HOAN_KIEM, "period": "year", "year": 2026,
                    "starts_on": "2026-12-01", "ends_on": "2026-01-01" }),
            "out_of_range",
        ),
    ] {
        let answer = s
            .ward
            .post(s.app.url("/api/reports"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(answer).await,
            (StatusCode::UNPROCESSABLE_ENTITY, code.into()),
            "{body}"
        );
    }
    let blank = s
        .ward
        .post(format!("{url}/issue"))
        .json(&json!({ "revision": 2, "number": "  " }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(blank).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "required".into())
    );
    assert_eq!(s.app.count("reports").await, 1);

    let issued = s
        .ward
        .post(format!("{url}/issue"))
        .json(&json!({ "revision": 2, "number": "15/BC-UBND" }))
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), StatusCode::OK);
    let issued: Report = issued.json().await.unwrap();
    let stamp = issued.issued.clone().expect("issued");
    assert_eq!(
        (stamp.number.as_str(), stamp.issued_on),
        ("15/BC-UBND", day("2026-06-20"))
    );
    assert_eq!(
        outcome(&issued.figures.total),
        [1, 87, 3, 1, 2, 2, 1, 0, 1, 0, 1]
    );

    // Later data: a dialogue recorded late for March, a reply to the
    // overdue item. The issued report keeps its figures; nothing changes.
    let secretary = signed_in(&s.app.addr, "thuky").await;
    let mut late = dialogue(HOAN_KIEM);
    late.planned_at = "2026-03-15T08:00".into();
    late.citizens_attending = 40;
    push_finalised(
        &s.app.addr,
        &secretary,
        &mut late,
        &[],
        hanoi_ms("2026-03-15", 8),
    )
    .await;
    s.app.clock.set_today(day("2026-07-01"));
    let read: Report = get_json(&s.ward, &url).await;
    assert_eq!(read.figures, issued.figures, "frozen as issued");
    let year = open(&s, &s.ward, HOAN_KIEM, "year").await;
    assert_eq!(
        year.figures.total.dialogues, 3,
        "a draft counts the late record, with A and B"
    );
    for (method, body) in [
        ("put", json!({ "revision": 3, "narrative": narrative })),
        ("issue", json!({ "revision": 3, "number": "16/BC-UBND" })),
    ] {
        let request = match method {
            "put" => s.ward.put(&url),
            _ => s.ward.post(format!("{url}/issue")),
        };
        let answer = request.json(&body).send().await.unwrap();
        assert_eq!(
            error_code(answer).await,
            (StatusCode::CONFLICT, "report_issued".into())
        );
    }
    let list: Vec<ReportLine> = get_json(
        &s.ward,
        &s.app.url(&format!("/api/reports?unit={HOAN_KIEM}")),
    )
    .await;
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter().filter(|r| r.issued.is_some()).count(), 1);
}

async fn the_report_as_docx_has_seed_003s_structure_and_no_denouncer(engine: Engine) {
    let s = seeded(engine).await;
    s.app.clock.set_today(day("2026-12-20"));
    let year = open(&s, &s.city, HANOI, "year").await;
    let url = s.app.url(&format!("/api/reports/{}", year.id));
    let mut narrative = year.narrative.clone();
    narrative.signer_authority = "KT. CHỦ TỊCH".into();
    narrative.signer_role = "PHÓ CHỦ TỊCH".into();
    narrative.signer_name = "Sòi Đức Nghĩa".into();
    narrative.recipients = "- Ban Dân vận Thành ủy (báo cáo);\nLưu: VT.".into();
    let saved = s
        .city
        .put(&url)
        .json(&json!({ "revision": 1, "narrative": narrative }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let issued = s
        .city
        .post(format!("{url}/issue"))
        .json(&json!({ "revision": 2, "number": "21/BC-UBND" }))
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), StatusCode::OK);
    let answer = s.city.get(format!("{url}/docx")).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let (document, styles) = docx::parts(&answer.bytes().await.unwrap());
    let text = docx::words(&document);
    let expected = [
        "UBND THÀNH PHỐ HÀ NỘI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 21/BC-UBND",
        "Hà Nội, ngày 20 tháng 12 năm 2026",
        "BÁO CÁO",
        "Kết quả thực hiện công tác đối thoại năm 2026",
        "Luật Thực hiện dân chủ ở cơ sở",
        "I. CÔNG TÁC LÃNH ĐẠO, TRIỂN KHAI THỰC HIỆN",
        "II. KẾT QUẢ THỰC HIỆN",
        "Số liệu từ ngày 15/12/2025 đến ngày 14/12/2026",
        "a) Đã tổ chức 03 buổi đối thoại (định kỳ 01, đột xuất / chuyên đề 01, theo yêu cầu 01)",
        "trong đó với nhân dân 02; với công chức, viên chức, người lao động 01",
        "có 122 lượt công dân tham dự",
        "b) Công dân nêu 06 ý kiến",
        "trả lời trực tiếp tại buổi đối thoại 02 ý kiến",
        "đã trả lời đúng hạn 01, trả lời quá hạn 01; quá hạn chưa trả lời 01",
        "Phường Hoàn Kiếm",
        "Phường Cửa Nam",
        "đơn vị chưa tổ chức buổi đối thoại nào trong kỳ",
        "nội dung tố cáo (được bảo mật); giao Thanh tra thành phố, hạn 01/04/2026",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "Nơi nhận:",
        "- Ban Dân vận Thành ủy (báo cáo);",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Sòi Đức Nghĩa",
    ];
    for expected in expected {
        assert!(text.contains(expected), "«{expected}» missing: {text}");
    }
    // The PDF says the same, A4, its fonts embedded.
    let pdf = s.city.get(format!("{url}/pdf")).send().await.unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(common::pdf::pages(&bytes).1, "A4");
    assert!(common::pdf::fonts(&bytes)
        .iter()
        .all(|(_, embedded)| *embedded));
    let pdf_text = common::pdf::words(&bytes);
    for expected in expected {
        let expected = common::pdf::squeezed(expected);
        assert!(
            pdf_text.contains(&expected),
            "«{expected}» missing from the PDF: {pdf_text}"
        );
    }
    for private in [DENOUNCER, DENOUNCER_ADDRESS, DENOUNCER_ID, DENOUNCED] {
        assert!(!pdf_text.contains(private), "«{private}» in the PDF");
    }
    assert!(!text.contains("- - Ban"), "one dash");
    for private in [DENOUNCER, DENOUNCER_ADDRESS, DENOUNCER_ID, DENOUNCED] {
        assert!(!document.contains(private), "«{private}» in the report");
    }
    assert!(document.contains(r#"<w:pgSz w:w="11906" w:h="16838""#));
    assert!(styles.contains(r#"w:ascii="Times New Roman""#));
}

async fn a_units_reports_are_read_in_its_scope_and_written_by_its_own_office(engine: Engine) {
    let s = seeded(engine).await;
    s.app.clock.set_today(day("2026-06-20"));
    let report = open(&s, &s.ward, HOAN_KIEM, "half_year").await;
    let url = s.app.url(&format!("/api/reports/{}", report.id));
    let list = s.app.url(&format!("/api/reports?unit={HOAN_KIEM}"));
    let observer = s.app.user("mttq", "observer", HOAN_KIEM).await;
    let secretary = signed_in(&s.app.addr, "thuky").await;
    let elsewhere = s.app.user("caobang", "reviewer", CAO_BANG).await;
    let neighbour = s.app.user("cuanam", "reviewer", CUA_NAM).await;
    for (who, read) in [
        (&observer, StatusCode::OK),
        (&s.city, StatusCode::OK),
        (&s.app.admin, StatusCode::OK),
        (&secretary, StatusCode::FORBIDDEN),
        (&elsewhere, StatusCode::NOT_FOUND),
        (&neighbour, StatusCode::NOT_FOUND),
    ] {
        for path in [url.clone(), format!("{url}/docx")] {
            assert_eq!(
                who.get(&path).send().await.unwrap().status(),
                read,
                "{path}"
            );
        }
    }
    assert_eq!(
        observer.get(&list).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        elsewhere.get(&list).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    // Only Hoàn Kiếm's own office writes Hoàn Kiếm's report.
    let change = json!({ "revision": 1, "narrative": report.narrative });
    for (who, status) in [
        (&observer, StatusCode::FORBIDDEN),
        (&s.city, StatusCode::FORBIDDEN),
        (&s.app.admin, StatusCode::FORBIDDEN),
        (&elsewhere, StatusCode::NOT_FOUND),
    ] {
        assert_eq!(
            who.put(&url).json(&change).send().await.unwrap().status(),
            status
        );
        let issue = json!({ "revision": 1, "number": "1/BC" });
        let answer = who
            .post(format!("{url}/issue"))
            .json(&issue)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), status);
    }
    let create = json!({ "unit_code": HOAN_KIEM, "period": "year", "year": 2026 });
    for (who, status) in [
        (&s.city, StatusCode::FORBIDDEN),
        (&observer, StatusCode::FORBIDDEN),
        (&elsewhere, StatusCode::FORBIDDEN),
    ] {
        let answer = who
            .post(s.app.url("/api/reports"))
            .json(&create)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), status);
    }
    assert_eq!(s.app.count("reports").await, 1);
    let read: Report = get_json(&s.ward, &url).await;
    assert_eq!(read.revision, 1, "nothing written by those refused");
}

async fn the_charts_show_a_calendar_year_at_a_glance_in_the_readers_scope(engine: Engine) {
    let s = seeded(engine).await;
    s.app.clock.set_today(day("2026-12-20"));
    let url = s
        .app
        .url(&format!("/api/reports/charts?unit={HANOI}&year=2026"));
    let charts: Charts = get_json(&s.city, &url).await;
    // A in February, C in March, B in July; D never held, E in 2025.
    let mut months = [0; 12];
    (months[1], months[2], months[6]) = (1, 1, 1);
    assert_eq!(charts.dialogues_per_month, months);
    assert_eq!(charts.opinions_by_kind, [2, 1, 1, 1, 1]);
    assert_eq!(charts.opinions_by_field, [2, 1, 1, 1, 0, 1]);
    // Awaiting the notice: C's; with the agency: A's denunciation;
    // replied: A's report and B's complaint.
    assert_eq!(charts.items_by_stage, [1, 1, 2, 0]);
    assert_eq!(
        charts.overdue_by_agency,
        vec![("Thanh tra thành phố".to_owned(), 1)]
    );
    let ward: Charts = get_json(
        &s.ward,
        &s.app
            .url(&format!("/api/reports/charts?unit={HOAN_KIEM}&year=2026")),
    )
    .await;
    assert_eq!(ward.dialogues_per_month.iter().sum::<u32>(), 2, "A and B");
    let body = s.city.get(&url).send().await.unwrap().text().await.unwrap();
    for private in [DENOUNCER, DENOUNCER_ADDRESS, DENOUNCER_ID, DENOUNCED] {
        assert!(!body.contains(private), "«{private}» in a chart");
    }
    let elsewhere = s.app.user("caobang", "reviewer", CAO_BANG).await;
    let secretary = signed_in(&s.app.addr, "thuky").await;
    assert_eq!(
        elsewhere.get(&url).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        secretary.get(&url).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.ward.get(&url).send().await.unwrap().status(),
        StatusCode::FORBIDDEN,
        "a ward's office does not read its city's"
    );
    let bad = s
        .city
        .get(
            s.app
                .url(&format!("/api/reports/charts?unit={HANOI}&year=1800")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(bad).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "out_of_range".into())
    );
}

on_both_engines!(
    a_report_counts_exactly_the_dialogues_held_in_its_period_and_a_province_sums_its_communes,
    a_draft_changes_on_the_revision_read_and_an_issued_report_never_changes,
    the_report_as_docx_has_seed_003s_structure_and_no_denouncer,
    a_units_reports_are_read_in_its_scope_and_written_by_its_own_office,
    the_charts_show_a_calendar_year_at_a_glance_in_the_readers_scope,
);
