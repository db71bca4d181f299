//! Documents an office signs and sends: a dialogue's minutes as DOCX, laid
//! out as Decree 30/2020 asks (A4, its margins, Times New Roman 14 pt, the
//! national title and motto, the number, the place and date, the two
//! signatures), in the version sent outside (no denouncer named) and the
//! one kept on file (for the office only, each download audited); the
//! conclusion notice, the invitation and the reminder to an agency.

mod common;

use common::docx::{parts, run_of, words};
use common::*;
use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::sync::Entity;
use shared::{AgencyId, DeviceId, Dialogue, Opinion, OpinionKind};

const DENOUNCER: &str = "Trần Thị Hoa";
const DENOUNCER_ADDRESS: &str = "số 9 ngõ Hàng Bạc";
const DENOUNCER_ID: &str = "001188776655";

struct Minutes {
    app: TestApp,
    dialogue: Dialogue,
    opinions: Vec<Opinion>,
    office: Client,
}

async fn finalised(engine: Engine) -> Minutes {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let office = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let mut d = dialogue(HOAN_KIEM);
    d.topic = "Trật tự đô thị khu phố cổ".into();
    d.planned_at = "2026-02-27T08:00".into();
    d.chair_name = "Nguyễn Văn Đức".into();
    d.chair_title = "Chủ tịch UBND phường".into();
    d.mttq_representative = "Phạm Thị Lụa".into();
    d.citizens_attending = 87;
    d.conclusion = "Giao Công an phường xử lý dứt điểm tiếng ồn trong tháng.".into();
    let mut noise = opinion(&d, 1, "Quán karaoke gây ồn sau 23 giờ");
    noise.speaker_name = "Lê Văn Ễ".into();
    noise.answer = "Công an phường sẽ kiểm tra trong tuần.".into();
    noise.refer("Công an phường Hoàn Kiếm");
    let mut denunciation = opinion(&d, 2, "Tố cáo việc lấn chiếm vỉa hè để thu tiền trông xe");
    denunciation.kind = OpinionKind::Denunciation;
    denunciation.speaker_name = DENOUNCER.into();
    denunciation.speaker_address = DENOUNCER_ADDRESS.into();
    denunciation.speaker_id_number = DENOUNCER_ID.into();
    denunciation.refer("Thanh tra thành phố");
    let opinions = vec![noise, denunciation];
    push_finalised(
        &app.addr,
        &secretary,
        &mut d,
        &opinions,
        hanoi_ms("2026-02-27", 8),
    )
    .await;
    Minutes {
        app,
        dialogue: d,
        opinions,
        office,
    }
}

impl Minutes {
    /// Issues the notice on 2 March 2026: the noise to the ward's police,
    /// the denunciation to the city's inspectors (both due 1 April).
    async fn issue_notice(&self) -> (AgencyId, AgencyId) {
        let police = self.app.agency(HOAN_KIEM, "Công an phường Hoàn Kiếm").await;
        let inspectors = self.app.agency(HANOI, "Thanh tra thành phố").await;
        let issued = self
            .office
            .post(
                self.app
                    .url(&format!("/api/dialogues/{}/notice", self.dialogue.id)),
            )
            .json(&json!({
                "number": "12/TB-UBND", "issued_on": "2026-03-02",
                "conclusion": "Giao các cơ quan giải quyết dứt điểm trong tháng.",
                "assignments": [
                    { "opinion_id": self.opinions[0].id, "agency_id": police },
                    { "opinion_id": self.opinions[1].id, "agency_id": inspectors },
                ],
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(issued.status(), StatusCode::CREATED);
        (police, inspectors)
    }

    fn url(&self, version: &str) -> String {
        self.app.url(&format!(
            "/api/dialogues/{}/minutes.docx?version={version}",
            self.dialogue.id
        ))
    }
}

async fn the_minutes_sent_outside_name_no_denouncer_and_follow_decree_30(engine: Engine) {
    let m = finalised(engine).await;
    let answer = m.office.get(m.url("outside")).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(
        answer.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(answer.headers()["cache-control"], "no-store");
    let (document, styles) = parts(&answer.bytes().await.unwrap());
    let text = words(&document);
    for expected in [
        "UBND THÀNH PHỐ HÀ NỘI",
        "UBND PHƯỜNG HOÀN KIẾM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:      /BB-UBND",
        "Hoàn Kiếm, ngày 27 tháng 02 năm 2026",
        "BIÊN BẢN",
        "Trật tự đô thị khu phố cổ",
        "08 giờ 00, ngày 27 tháng 02 năm 2026",
        "Nguyễn Văn Đức, Chủ tịch UBND phường",
        "Phạm Thị Lụa",
        "87",
        "Lê Văn Ễ",
        "Công an phường sẽ kiểm tra trong tuần.",
        "Người tố cáo (thông tin được bảo mật)",
        "Giao Công an phường xử lý dứt điểm tiếng ồn trong tháng.",
        "1. Lê Văn Ễ, bản Giàng (Kiến nghị): Quán karaoke gây ồn sau 23 giờ",
        "2. Người tố cáo (thông tin được bảo mật) (Tố cáo)",
        "Buổi đối thoại kết thúc vào lúc ..... giờ",
        "THƯ KÝ",
        "CHỦ TỌA",
        "Lò Thị Mai",
    ] {
        assert!(text.contains(expected), "«{expected}» missing: {text}");
    }
    for private in [DENOUNCER, DENOUNCER_ADDRESS, DENOUNCER_ID] {
        assert!(!document.contains(private), "«{private}» sent outside");
    }
    // Emphasis on the runs themselves (Word ignores a paragraph mark's).
    for (line, style) in [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "<w:b />"),
        ("Độc lập - Tự do - Hạnh phúc", "<w:b />"),
        ("UBND PHƯỜNG HOÀN KIẾM", "<w:b />"),
        ("Hoàn Kiếm, ngày 27 tháng 02 năm 2026", "<w:i />"),
        ("THƯ KÝ", "<w:b />"),
    ] {
        let run = run_of(&document, line);
        assert!(run.contains(style), "{line}: {run}");
    }
    // A4 portrait; margins 20 mm top and bottom, 30 left, 15 right (twips).
    assert!(
        document.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
        "{document}"
    );
    for margin in [
        r#"w:top="1134""#,
        r#"w:bottom="1134""#,
        r#"w:left="1701""#,
        r#"w:right="850""#,
    ] {
        assert!(document.contains(margin), "{margin}");
    }
    // Page numbers from page 2: a first page of its own.
    assert!(document.contains("<w:titlePg"), "first page apart");
    assert!(styles.contains(r#"w:ascii="Times New Roman""#), "{styles}");
    assert!(styles.contains(r#"<w:sz w:val="28""#), "14 pt");
}

async fn the_minutes_kept_on_file_are_the_offices_and_each_download_is_audited(engine: Engine) {
    let m = finalised(engine).await;
    let audited = || async {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'minutes_docx'")
                .fetch_one(&m.app.pool)
                .await
                .unwrap();
        n
    };
    let before = audited().await;
    let full = m.office.get(m.url("full")).send().await.unwrap();
    assert_eq!(full.status(), StatusCode::OK);
    let text = words(&parts(&full.bytes().await.unwrap()).0);
    for named in [DENOUNCER, DENOUNCER_ADDRESS, DENOUNCER_ID] {
        assert!(text.contains(named), "«{named}» on file");
    }
    assert_eq!(audited().await, before + 1, "the download is audited");

    let observer = m.app.user("mttq", "observer", HOAN_KIEM).await;
    let admin = &m.app.admin;
    for who in [&observer, admin] {
        assert_eq!(
            who.get(m.url("full")).send().await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            who.get(m.url("outside")).send().await.unwrap().status(),
            StatusCode::OK
        );
    }
    let secretary = signed_in(&m.app.addr, "thuky").await;
    let elsewhere = m.app.user("cuanam", "reviewer", CUA_NAM).await;
    assert_eq!(
        secretary
            .get(m.url("outside"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        elsewhere
            .get(m.url("outside"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        audited().await,
        before + 1,
        "refused downloads audit nothing"
    );

    let draft = dialogue(HOAN_KIEM);
    let tablet = signed_in(&m.app.addr, "thuky").await;
    let pushed = m
        .app
        .push(
            &tablet,
            &batch(
                shared::DeviceId::new(),
                1,
                vec![shared::sync::Entity::Dialogue(draft.clone())],
            ),
        )
        .await;
    assert_eq!(pushed.status(), StatusCode::OK);
    let not_yet = m
        .office
        .get(
            m.app
                .url(&format!("/api/dialogues/{}/minutes.docx", draft.id)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(not_yet).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "not_finalised".into())
    );
    let bad = m.office.get(m.url("everything")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_conclusion_notice_lists_each_item_as_issued_with_its_recipients(engine: Engine) {
    let m = finalised(engine).await;
    let url = m
        .app
        .url(&format!("/api/dialogues/{}/notice.docx", m.dialogue.id));
    assert_eq!(
        error_code(m.office.get(&url).send().await.unwrap()).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "no_notice".into())
    );
    m.issue_notice().await;
    let answer = m.office.get(&url).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let document = parts(&answer.bytes().await.unwrap()).0;
    let text = words(&document);
    for expected in [
        "THÔNG BÁO",
        "Số: 12/TB-UBND",
        "Hoàn Kiếm, ngày 02 tháng 03 năm 2026",
        "Giao các cơ quan giải quyết dứt điểm trong tháng.",
        "Ý kiến số 1: Quán karaoke gây ồn sau 23 giờ",
        "Công an phường Hoàn Kiếm",
        // 30 days after 2 March 2026.
        "01/04/2026",
        "Nội dung tố cáo (bảo mật, gửi riêng cơ quan được giao)",
        "Thanh tra thành phố",
        "Nơi nhận:",
        "Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn Đức",
    ] {
        assert!(text.contains(expected), "«{expected}» missing: {text}");
    }
    for private in [DENOUNCER, "lấn chiếm vỉa hè"] {
        assert!(!text.contains(private), "«{private}» in the notice");
    }
    assert!(
        run_of(&document, "Nơi nhận:").contains("<w:sz w:val=\"24\""),
        "12 pt"
    );
    let observer = m.app.user("mttq", "observer", HOAN_KIEM).await;
    let elsewhere = m.app.user("cuanam", "reviewer", CUA_NAM).await;
    assert_eq!(
        observer.get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        elsewhere.get(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

async fn an_invitation_and_the_annual_plan_name_each_planned_dialogue(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let office = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let planned = office
        .post(app.url("/api/plan"))
        .json(
            &json!({ "unit_code": HOAN_KIEM, "year": 2026, "month": 3, "kind": "periodic",
                       "topic": "Chỉnh trang vỉa hè phố cổ", "planned_at": "2026-03-20T08:00",
                       "venue": "Hội trường UBND phường", "chair_name": "Nguyễn Văn Đức",
                       "chair_title": "Chủ tịch UBND phường" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(planned.status(), StatusCode::CREATED);
    let line: shared::plan::PlanLine = planned.json().await.unwrap();
    let url = app.url(&format!(
        "/api/dialogues/{}/invitation.docx",
        line.dialogue_id
    ));
    let answer = office.get(&url).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let text = words(&parts(&answer.bytes().await.unwrap()).0);
    for expected in [
        "GIẤY MỜI",
        "Số:      /GM-UBND",
        "Hoàn Kiếm, ngày 02 tháng 03 năm 2026",
        "UBND PHƯỜNG HOÀN KIẾM trân trọng kính mời:",
        "Nhân dân trên địa bàn",
        "Chỉnh trang vỉa hè phố cổ",
        "08 giờ 00, ngày 20 tháng 03 năm 2026",
        "Hội trường UBND phường",
        "Nguyễn Văn Đức, Chủ tịch UBND phường",
        "TM. ỦY BAN NHÂN DÂN",
    ] {
        assert!(text.contains(expected), "«{expected}» missing: {text}");
    }
    let later = office
        .post(app.url("/api/plan"))
        .json(
            &json!({ "unit_code": HOAN_KIEM, "year": 2026, "month": 9, "kind": "periodic",
                       "topic": "Đối thoại cuối năm", "chair_name": "Nguyễn Văn Đức" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(later.status(), StatusCode::CREATED);
    let plan_url = app.url(&format!("/api/plan/docx?unit={HOAN_KIEM}&year=2026"));
    let plan = office.get(&plan_url).send().await.unwrap();
    assert_eq!(plan.status(), StatusCode::OK);
    let text = words(&parts(&plan.bytes().await.unwrap()).0);
    for expected in [
        "KẾ HOẠCH",
        "Số:      /KH-UBND",
        "Tổ chức đối thoại trực tiếp với Nhân dân năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "20/03/2026",
        "Chỉnh trang vỉa hè phố cổ",
        "Tháng 9/2026",
        "Đối thoại cuối năm",
        "III. TỔ CHỨC THỰC HIỆN",
    ] {
        assert!(text.contains(expected), "«{expected}» missing: {text}");
    }
    assert!(
        text.find("Chỉnh trang").unwrap() < text.find("Đối thoại cuối năm").unwrap(),
        "by month"
    );
    let observer = app.user("mttq", "observer", HOAN_KIEM).await;
    let elsewhere = app.user("cuanam", "reviewer", CUA_NAM).await;
    assert_eq!(
        observer.get(&plan_url).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        elsewhere.get(&plan_url).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        observer.get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        elsewhere.get(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

async fn a_reminder_lists_an_agencys_items_due_within_the_week_in_the_offices_scope(
    engine: Engine,
) {
    let m = finalised(engine).await;
    let (police, inspectors) = m.issue_notice().await;
    let url = |agency: AgencyId| m.app.url(&format!("/api/agencies/{agency}/reminder.docx"));
    assert_eq!(
        error_code(m.office.get(url(police)).send().await.unwrap()).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "nothing_owed".into()),
        "on 2 March nothing is due within the week"
    );
    m.app.clock.set_today("2026-03-28".parse().unwrap());
    let answer = m.office.get(url(police)).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let text = words(&parts(&answer.bytes().await.unwrap()).0);
    for expected in [
        "Số:      /UBND-VP",
        "V/v đôn đốc giải quyết, trả lời kiến nghị của công dân",
        "Kính gửi: Công an phường Hoàn Kiếm",
        "Ý kiến số 1: Quán karaoke gây ồn sau 23 giờ",
        "01/04/2026",
        "còn 4 ngày",
        "Nơi nhận:",
    ] {
        assert!(text.contains(expected), "«{expected}» missing: {text}");
    }
    assert!(!text.contains("lấn chiếm"), "another agency's item");
    let letter = m.office.get(url(inspectors)).send().await.unwrap();
    let to_inspectors = words(&parts(&letter.bytes().await.unwrap()).0);
    assert!(to_inspectors.contains("Nội dung tố cáo (bảo mật)"));
    for private in [DENOUNCER, "lấn chiếm vỉa hè"] {
        assert!(!to_inspectors.contains(private), "«{private}» in a letter");
    }
    let observer = m.app.user("mttq", "observer", HOAN_KIEM).await;
    let elsewhere = m.app.user("cuanam", "reviewer", CUA_NAM).await;
    assert_eq!(
        observer.get(url(police)).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        error_code(elsewhere.get(url(police)).send().await.unwrap()).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "nothing_owed".into()),
        "another ward's office sees none of these items"
    );
    assert_eq!(
        m.office
            .get(url(AgencyId::new()))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// The document at `docx` as DOCX and at `pdf` as PDF: the PDF is A4 with
/// every font embedded, and says every paragraph the DOCX says; its words.
async fn pdf_matches_docx(client: &Client, docx: &str, pdf: &str) -> String {
    let word = client.get(docx).send().await.unwrap();
    assert_eq!(word.status(), StatusCode::OK, "{docx}");
    let paragraphs = common::docx::paragraphs(&parts(&word.bytes().await.unwrap()).0);
    let answer = client.get(pdf).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "{pdf}");
    assert_eq!(answer.headers()["content-type"], "application/pdf");
    let bytes = answer.bytes().await.unwrap();
    let (pages, a4) = common::pdf::pages(&bytes);
    assert!(pages >= 1 && a4, "{pdf}: {pages} pages, A4 {a4}");
    let fonts = common::pdf::fonts(&bytes);
    assert!(
        !fonts.is_empty()
            && fonts
                .iter()
                .all(|(name, embedded)| *embedded && name.contains("LiberationSerif")),
        "{pdf}: {fonts:?}"
    );
    let text = common::pdf::words(&bytes);
    for p in paragraphs {
        let p = common::pdf::squeezed(&p);
        assert!(text.contains(&p), "{pdf}: «{p}» missing from {text}");
    }
    text
}

async fn every_document_as_pdf_is_a4_with_its_fonts_embedded_and_says_what_its_docx_says(
    engine: Engine,
) {
    let m = finalised(engine).await;
    let (police, inspectors) = m.issue_notice().await;
    let planned = m
        .office
        .post(m.app.url("/api/plan"))
        .json(
            &json!({ "unit_code": HOAN_KIEM, "year": 2026, "month": 4, "kind": "periodic",
                       "topic": "Đối thoại về nước sạch", "planned_at": "2026-04-20T08:00",
                       "venue": "Hội trường UBND phường", "chair_name": "Nguyễn Văn Đức" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(planned.status(), StatusCode::CREATED);
    let line: shared::plan::PlanLine = planned.json().await.unwrap();
    m.app.clock.set_today("2026-03-28".parse().unwrap());
    let d = m.dialogue.id;
    let outside = pdf_matches_docx(
        &m.office,
        &m.url("outside"),
        &m.app
            .url(&format!("/api/dialogues/{d}/minutes.pdf?version=outside")),
    )
    .await;
    assert!(outside.contains("Lê Văn Ễ"), "a stacked mark, as a letter");
    for private in [DENOUNCER, DENOUNCER_ADDRESS, DENOUNCER_ID] {
        assert!(!outside.contains(private), "«{private}» sent outside");
    }
    let on_file = pdf_matches_docx(
        &m.office,
        &m.url("full"),
        &m.app
            .url(&format!("/api/dialogues/{d}/minutes.pdf?version=full")),
    )
    .await;
    assert!(on_file.contains(DENOUNCER));
    let id = line.dialogue_id;
    for (docx, pdf) in [
        (
            format!("/api/dialogues/{d}/notice.docx"),
            format!("/api/dialogues/{d}/notice.pdf"),
        ),
        (
            format!("/api/dialogues/{id}/invitation.docx"),
            format!("/api/dialogues/{id}/invitation.pdf"),
        ),
        (
            format!("/api/plan/docx?unit={HOAN_KIEM}&year=2026"),
            format!("/api/plan/pdf?unit={HOAN_KIEM}&year=2026"),
        ),
        (
            format!("/api/agencies/{police}/reminder.docx"),
            format!("/api/agencies/{police}/reminder.pdf"),
        ),
        (
            format!("/api/agencies/{inspectors}/reminder.docx"),
            format!("/api/agencies/{inspectors}/reminder.pdf"),
        ),
    ] {
        let text = pdf_matches_docx(&m.office, &m.app.url(&docx), &m.app.url(&pdf)).await;
        assert!(!text.contains(DENOUNCER), "{pdf}");
    }
    // The same access as the DOCX: the file copy is the office's alone.
    let observer = m.app.user("mttq", "observer", HOAN_KIEM).await;
    let full = m
        .app
        .url(&format!("/api/dialogues/{d}/minutes.pdf?version=full"));
    assert_eq!(
        observer.get(&full).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
}

/// A denunciation recorded, then made a complaint before the minutes were
/// finalised: it once was one, so its words and its speaker stay out of
/// the notice as a denunciation's would.
async fn an_opinion_that_once_was_a_denunciation_keeps_its_words_out_of_the_notice(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let office = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let mut d = dialogue(HOAN_KIEM);
    d.planned_at = "2026-02-27T08:00".into();
    d.chair_name = "Nguyễn Văn Đức".into();
    let mut once = opinion(&d, 1, "Tố cáo cán bộ địa chính nhận tiền");
    once.kind = OpinionKind::Denunciation;
    once.speaker_name = DENOUNCER.into();
    let first = secretary
        .post(app.url("/api/sync/push"))
        .json(&batch(
            DeviceId::new(),
            1,
            vec![Entity::Dialogue(d.clone()), Entity::Opinion(once.clone())],
        ))
        .send()
        .await
        .unwrap();
    assert!(first.status().is_success());
    once.kind = OpinionKind::Complaint;
    once.refer("Thanh tra thành phố");
    push_finalised(
        &app.addr,
        &secretary,
        &mut d,
        std::slice::from_ref(&once),
        hanoi_ms("2026-02-27", 8),
    )
    .await;
    let inspectors = app.agency(HANOI, "Thanh tra thành phố").await;
    let issued = office
        .post(app.url(&format!("/api/dialogues/{}/notice", d.id)))
        .json(&json!({
            "number": "13/TB-UBND", "issued_on": "2026-03-02",
            "conclusion": "Giao Thanh tra thành phố xác minh.",
            "assignments": [{ "opinion_id": once.id, "agency_id": inspectors }],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), StatusCode::CREATED);
    let answer = office
        .get(app.url(&format!("/api/dialogues/{}/notice.docx", d.id)))
        .send()
        .await
        .unwrap();
    let text = words(&parts(&answer.bytes().await.unwrap()).0);
    assert!(
        text.contains("Nội dung tố cáo (bảo mật, gửi riêng cơ quan được giao)"),
        "{text}"
    );
    for private in [DENOUNCER, "nhận tiền"] {
        assert!(!text.contains(private), "«{private}» in the notice");
    }
}

on_both_engines!(
    an_opinion_that_once_was_a_denunciation_keeps_its_words_out_of_the_notice,
    the_minutes_sent_outside_name_no_denouncer_and_follow_decree_30,
    the_minutes_kept_on_file_are_the_offices_and_each_download_is_audited,
    the_conclusion_notice_lists_each_item_as_issued_with_its_recipients,
    an_invitation_and_the_annual_plan_name_each_planned_dialogue,
    a_reminder_lists_an_agencys_items_due_within_the_week_in_the_offices_scope,
    every_document_as_pdf_is_a4_with_its_fonts_embedded_and_says_what_its_docx_says,
);
