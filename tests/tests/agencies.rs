//! The agency directory: kept by the administrator, read by staff of the
//! unit and of its parent only.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use shared::admin::Agency;

async fn add(app: &TestApp, unit: &str, name: &str) -> reqwest::Response {
    app.admin
        .post(app.url("/api/admin/agencies"))
        .json(&json!({ "unit_code": unit, "name": name }))
        .send()
        .await
        .unwrap()
}

async fn names(client: &reqwest::Client, app: &TestApp, unit: &str) -> Vec<String> {
    let agencies: Vec<Agency> =
        get_json(client, &app.url(&format!("/api/agencies?unit={unit}"))).await;
    agencies.into_iter().map(|a| a.name).collect()
}

async fn the_administrator_keeps_each_units_agencies_once_by_name(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for (unit, name) in [
        (HOAN_KIEM, "Công an phường"),
        (HOAN_KIEM, "Trạm y tế phường"),
        (HOAN_KIEM, "Ban quản lý chợ"),
        (HANOI, "Sở Tài nguyên và Môi trường"),
    ] {
        assert_eq!(add(&app, unit, name).await.status(), StatusCode::CREATED);
    }
    let twice = add(&app, HOAN_KIEM, "  cong an PHUONG ").await;
    assert_eq!(
        error_code(twice).await,
        (StatusCode::CONFLICT, "duplicate".into()),
        "the same name, whatever its case or marks"
    );
    assert_eq!(
        add(&app, CUA_NAM, "Công an phường").await.status(),
        StatusCode::CREATED,
        "another unit may have one of the same name"
    );
    assert_eq!(
        names(&app.admin, &app, HOAN_KIEM).await,
        ["Ban quản lý chợ", "Công an phường", "Trạm y tế phường"]
    );
    for (unit, name, status) in [
        ("99999", "Công an xã", StatusCode::NOT_FOUND),
        ("9", "Công an xã", StatusCode::UNPROCESSABLE_ENTITY),
        (HOAN_KIEM, "   ", StatusCode::UNPROCESSABLE_ENTITY),
        (
            HOAN_KIEM,
            &"đ".repeat(301),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        assert_eq!(
            error_code(add(&app, unit, name).await).await.0,
            status,
            "{unit} {name}"
        );
    }
    assert_eq!(app.count("agencies").await, 5, "nothing refused was stored");
}

async fn staff_read_the_agencies_of_their_scope_only(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    add(&app, HOAN_KIEM, "Công an phường").await;
    add(&app, THUC_PHAN, "Công an phường Thục Phán").await;
    let province = app.user("tonghop", "reviewer", HANOI).await;
    let ward = app.user("phuong", "reviewer", HOAN_KIEM).await;
    let elsewhere = app.user("caobang", "reviewer", CAO_BANG).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    assert_eq!(names(&province, &app, HOAN_KIEM).await, ["Công an phường"]);
    assert_eq!(names(&ward, &app, HOAN_KIEM).await, ["Công an phường"]);
    for (client, unit, status) in [
        (&elsewhere, HOAN_KIEM, StatusCode::NOT_FOUND),
        (&ward, HANOI, StatusCode::NOT_FOUND),
        (&ward, CUA_NAM, StatusCode::NOT_FOUND),
        (&province, THUC_PHAN, StatusCode::NOT_FOUND),
        (&secretary, HOAN_KIEM, StatusCode::FORBIDDEN),
    ] {
        let response = client
            .get(app.url(&format!("/api/agencies?unit={unit}")))
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(response).await.0, status, "{unit}");
    }
    for client in [&province, &ward, &secretary] {
        let created = client
            .post(app.url("/api/admin/agencies"))
            .json(&json!({ "unit_code": HOAN_KIEM, "name": "Ban tiếp dân" }))
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(created).await.0, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.count("agencies").await, 2);
}

async fn units_are_listed_by_name_for_pickers(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let provinces: Vec<shared::Unit> = get_json(&app.admin, &app.url("/api/units")).await;
    assert_eq!(provinces.len(), 34);
    assert!(provinces
        .iter()
        .any(|u| u.code.as_str() == "25" && u.name == "Phú Thọ"));
    let wards: Vec<shared::Unit> =
        get_json(&app.admin, &app.url(&format!("/api/units?parent={HANOI}"))).await;
    assert!(wards
        .iter()
        .any(|u| u.code.as_str() == HOAN_KIEM && u.name == "Phường Hoàn Kiếm"));
    assert!(wards
        .iter()
        .all(|u| u.parent_code.as_ref().map(|p| p.as_str()) == Some(HANOI)));
    let anonymous = client().get(app.url("/api/units")).send().await.unwrap();
    assert_eq!(error_code(anonymous).await.0, StatusCode::UNAUTHORIZED);
    let bad = app
        .admin
        .get(app.url("/api/units?parent=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(bad).await.0, StatusCode::UNPROCESSABLE_ENTITY);
}

on_both_engines!(
    the_administrator_keeps_each_units_agencies_once_by_name,
    staff_read_the_agencies_of_their_scope_only,
    units_are_listed_by_name_for_pickers,
);
