//! Administration: load the unit list and create users.

use leptos::prelude::*;
use shared::admin::UserSummary;
use shared::Role;

#[cfg(feature = "hydrate")]
use shared::spoken;
use shared::text::fold;

use super::follow_up::{fetch, F};
use crate::components::TopBar;
use crate::i18n::{labels, t, texts, use_lang, D, T};

texts! { A {
    Loaded => "Đã nạp {p} tỉnh, thành phố và {c} xã, phường, đặc khu", "Loaded {p} provinces and cities and {c} communes, wards and special zones";
    FindUnit => "Tìm đơn vị (có thể gõ không dấu)", "Find a unit (diacritics optional)";
}}

#[component]
pub fn AdminPage() -> impl IntoView {
    let lang = use_lang();
    let message = RwSignal::new(None::<String>);
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Secretary);
    let unit = RwSignal::new(String::new());
    let agency = RwSignal::new(String::new());
    // A handler belongs to one agency of their unit: the unit's directory.
    let agencies = LocalResource::new(move || {
        let (role, unit) = (role.get(), unit.get());
        async move {
            match shared::UnitCode::parse(unit.trim()) {
                Ok(code) if role.needs_agency() => {
                    let url = format!("/api/agencies?unit={code}");
                    fetch::<Vec<shared::admin::Agency>>(url, lang.get_untracked())
                        .await
                        .unwrap_or_default()
                }
                _ => Vec::new(),
            }
        }
    });
    let users = RwSignal::new(Vec::<UserSummary>::new());
    #[cfg(feature = "hydrate")]
    let reload_users = move || {
        leptos::task::spawn_local(async move {
            if let Ok(list) =
                crate::api::get::<Vec<UserSummary>>("/api/admin/users", lang.get_untracked()).await
            {
                users.set(list);
            }
        });
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| reload_users());
    let import = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            let result = crate::api::post::<_, shared::admin::ImportReport>(
                "/api/admin/units/import",
                &(),
                l,
            )
            .await;
            message.set(Some(match result {
                Ok(r) => A::Loaded
                    .get(l)
                    .replace("{p}", &spoken::count(r.provinces as u64, l))
                    .replace("{c}", &spoken::count(r.communes as u64, l)),
                Err(e) => e.message(l),
            }));
        });
    };
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            let unit_code = match unit.get_untracked().trim() {
                "" => None,
                code => match shared::UnitCode::parse(code) {
                    Ok(code) => Some(code),
                    Err(e) => return message.set(Some(e.message(l))),
                },
            };
            let body = shared::admin::NewUser {
                username: username.get_untracked(),
                password: password.get_untracked(),
                display_name: display_name.get_untracked(),
                role: role.get_untracked(),
                unit_code,
                agency_id: shared::AgencyId::parse(&agency.get_untracked()).ok(),
            };
            let result = crate::api::post::<_, UserSummary>("/api/admin/users", &body, l).await;
            if result.is_ok() {
                reload_users();
            }
            message.set(Some(match result {
                Ok(u) => format!("{}: {}", D::Done.get(l), u.username),
                Err(e) => e.message(l),
            }));
        });
    };
    view! {
        <TopBar />
        <section class="admin">
            <h1>{t(T::Admin)}</h1>
            <nav class="menu"><a class="button" href=crate::nav::Page::Settings.path() data-testid="go-settings">{super::follow_up::F::Settings.text()}</a></nav>
            <button type="button" data-testid="import-units" on:click=import>{D::ImportUnits.text()}</button>
            <form class="grid" on:submit=create>
                <h2>{D::CreateUser.text()}</h2>
                <label class="field"><span>{t(T::Username)}</span><input data-testid="new-username" autocomplete="off" on:input=move |ev| username.set(event_target_value(&ev)) /></label>
                <label class="field"><span>{t(T::Password)}</span><input type="password" autocomplete="new-password" data-testid="new-password" on:input=move |ev| password.set(event_target_value(&ev)) /></label>
                <label class="field"><span>{D::DisplayName.text()}</span><input data-testid="new-display-name" on:input=move |ev| display_name.set(event_target_value(&ev)) /></label>
                <label class="field"><span>{D::Role.text()}</span>
                    <select data-testid="new-role" on:change=move |ev| role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::Secretary))>
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{move || labels::role(r, lang.get())}</option> }).collect_view()}
                    </select>
                </label>
                <UnitPicker unit testid="new-unit" />
                {move || role.get().needs_agency().then(|| view! {
                    <label class="field"><span>{F::Agency.text()}</span>
                        <select data-testid="new-agency" on:change=move |ev| agency.set(event_target_value(&ev))>
                            <option value="">{F::PickAgency.text()}</option>
                            <Suspense fallback=|| ()>
                                {move || agencies.get().map(|list| list.into_iter().map(|a| view! { <option value=a.id.to_string()>{a.name}</option> }).collect_view())}
                            </Suspense>
                        </select>
                    </label>
                })}
                <button type="submit" data-testid="create-user">{D::CreateUser.text()}</button>
            </form>
            {move || message.get().map(|m| view! { <p role="status" data-testid="admin-message">{m}</p> })}
            <AgencyDirectory />
            <h2>{D::Users.text()}</h2>
            <table class="list" data-testid="users">
                <thead><tr><th>{t(T::Username)}</th><th>{D::DisplayName.text()}</th><th>{D::Role.text()}</th><th>{t(T::Unit)}</th></tr></thead>
                <tbody>
                    {move || users.get().into_iter().map(|u| {
                        let role = u.role;
                        view! {
                            <tr>
                                <td>{u.username}</td>
                                <td>{u.display_name}</td>
                                <td>{move || labels::role(role, lang.get())}</td>
                                <td>{u.unit_name.or(u.unit_code).unwrap_or_else(|| "—".into())}
                                    {u.agency_name.map(|a| view! { <br /><small>{a}</small> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// A unit picked by name: the province, then (optionally) one of its
/// communes. Sets `unit` to the chosen code. `testid` names the commune's
/// select; the province's is `{testid}-province`.
#[component]
fn UnitPicker(unit: RwSignal<String>, testid: &'static str) -> impl IntoView {
    let lang = use_lang();
    let province = RwSignal::new(String::new());
    let provinces = LocalResource::new(move || {
        fetch::<Vec<shared::Unit>>("/api/units".into(), lang.get_untracked())
    });
    let communes = LocalResource::new(move || {
        let code = province.get();
        async move {
            if code.is_empty() {
                return Vec::new();
            }
            fetch::<Vec<shared::Unit>>(format!("/api/units?parent={code}"), lang.get_untracked())
                .await
                .unwrap_or_default()
        }
    });
    // Typed without diacritics or with them ("mai chau" finds "Mai Châu"):
    // the provinces until one is picked, then its communes.
    let query = RwSignal::new(String::new());
    let options = move |list: Vec<shared::Unit>, communes: bool| {
        let wanted = fold(&query.get());
        let searched = communes != province.with(String::is_empty);
        list.into_iter()
            .filter(|u| !searched || fold(&u.name).contains(&wanted))
            .map(|u| view! { <option value=u.code.to_string()>{u.name}</option> })
            .collect_view()
    };
    view! {
        <label class="field"><span>{A::FindUnit.text()}</span>
            <input type="search" data-testid=format!("{testid}-search") autocomplete="off" prop:value=query on:input=move |ev| query.set(event_target_value(&ev)) />
        </label>
        <label class="field"><span>{F::Province.text()}</span>
            <select data-testid=format!("{testid}-province") on:change=move |ev| { let code = event_target_value(&ev); unit.set(code.clone()); province.set(code); query.set(String::new()) }>
                <option value="">{F::PickUnit.text()}</option>
                <Suspense fallback=|| ()>{move || provinces.get().and_then(Result::ok).map(|list| options(list, false))}</Suspense>
            </select>
        </label>
        <label class="field"><span>{F::Commune.text()}</span>
            <select data-testid=testid on:change=move |ev| {
                let code = event_target_value(&ev);
                unit.set(if code.is_empty() { province.get_untracked() } else { code })
            }>
                <option value="">{F::WholeProvince.text()}</option>
                <Suspense fallback=|| ()>{move || communes.get().map(|list| options(list, true))}</Suspense>
            </select>
        </label>
    }
}

/// A unit's agency directory: listed, and added to by name.
#[component]
fn AgencyDirectory() -> impl IntoView {
    let lang = use_lang();
    let unit = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let listed = LocalResource::new(move || {
        let code = unit.get();
        async move {
            if code.is_empty() {
                return Vec::new();
            }
            fetch::<Vec<shared::admin::Agency>>(
                format!("/api/agencies?unit={code}"),
                lang.get_untracked(),
            )
            .await
            .unwrap_or_default()
        }
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(unit_code) = shared::UnitCode::parse(&unit.get_untracked()) else {
            return message.set(Some(F::Province.get(lang.get_untracked()).to_owned() + "?"));
        };
        let body = shared::admin::NewAgency {
            unit_code,
            name: name.get_untracked(),
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            match crate::api::post::<_, shared::admin::Agency>("/api/admin/agencies", &body, l)
                .await
            {
                Ok(a) => {
                    message.set(Some(format!("{}: {}", D::Done.get(l), a.name)));
                    listed.refetch();
                }
                Err(e) => message.set(Some(e.message(l))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = body;
    };
    view! {
        <form class="grid" on:submit=add data-testid="agency-directory">
            <h2>{F::AgencyDirectory.text()}</h2>
            <UnitPicker unit testid="agency-unit" />
            <label class="field"><span>{F::AgencyName.text()}</span>
                <input data-testid="agency-name" autocomplete="off" on:input=move |ev| name.set(event_target_value(&ev)) /></label>
            <button type="submit" data-testid="add-agency">{F::AddAgency.text()}</button>
            {move || message.get().map(|m| view! { <p role="status" data-testid="agency-message">{m}</p> })}
            <ul data-testid="agencies">
                <Suspense fallback=|| ()>
                    {move || listed.get().map(|list| list.into_iter().map(|a| view! { <li>{a.name}</li> }).collect_view())}
                </Suspense>
            </ul>
        </form>
    }
}
