//! Logging in (needs the network once); the session is then kept on the
//! device so the app keeps working offline.

use leptos::prelude::*;

use crate::components::TopBar;
use crate::i18n::{t, T};

#[component]
pub fn LoginPage() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let lang = crate::i18n::use_lang().get_untracked();
            busy.set(true);
            leptos::task::spawn_local(async move {
                let body = shared::LoginRequest {
                    username: username.get_untracked(),
                    password: password.get_untracked(),
                };
                match crate::api::post::<_, shared::SessionUser>("/api/login", &body, lang).await {
                    Ok(user) => {
                        let _ = crate::offline::store::save_session(&user);
                        let target = match user.role {
                            shared::Role::Secretary => "/capture",
                            shared::Role::Reviewer | shared::Role::Observer => "/review",
                            shared::Role::Admin => "/admin",
                            shared::Role::Handler => "/agency",
                        };
                        crate::nav::go(target);
                    }
                    Err(e) => error.set(Some(e.message(lang))),
                }
                busy.set(false);
            });
        }
    };
    view! {
        <TopBar />
        <form class="login" method="post" on:submit=submit>
            <h1>{t(T::Login)}</h1>
            <label class="field">
                <span>{t(T::Username)}</span>
                <input name="username" autocomplete="username" data-testid="username" on:input=move |ev| username.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{t(T::Password)}</span>
                <input name="password" type="password" autocomplete="current-password" data-testid="password" on:input=move |ev| password.set(event_target_value(&ev)) />
            </label>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="login-error">{e}</p> })}
            <button type="submit" data-testid="login-submit" disabled=move || busy.get()>{t(T::Login)}</button>
        </form>
    }
}
