//! Form fields that never fight an input method: the value is set when the
//! field appears and every `input` event is stored, so Telex or VNI
//! composition is never interrupted by a re-render. When the form is built
//! again (a change from another device arrived), values are set as
//! properties, which show even in a field the user has typed in; a field
//! being typed in already shows what is stored, so setting it changes
//! nothing. Lengths are capped at the domain's limits, so a push is never
//! refused for a field typed here (`maxlength` counts UTF-16 units: never
//! fewer than the characters counted by `shared::text`), and characters the
//! domain refuses (NUL, other control characters) are dropped as they come.

use leptos::prelude::*;

use crate::i18n::{t, T};

#[component]
pub fn TextInput(
    label: T,
    value: String,
    testid: &'static str,
    on_change: Callback<String>,
    #[prop(into)] disabled: Signal<bool>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    /// The latest value a date field takes: four-digit years only.
    #[prop(optional)]
    max: Option<&'static str>,
    /// A count: anything but a digit is dropped as it is typed.
    #[prop(optional)]
    digits_only: bool,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{t(label)}</span>
            <input
                type=input_type.unwrap_or("text")
                value=value.clone()
                prop:value=value
                data-testid=testid
                autocomplete=autocomplete.unwrap_or("off")
                inputmode=inputmode
                max=max
                maxlength=shared::text::SHORT_TEXT_MAX
                disabled=disabled
                on:input=move |ev| {
                    let mut text = typed(&ev);
                    if digits_only && text.contains(|c: char| !c.is_ascii_digit()) {
                        text.retain(|c| c.is_ascii_digit());
                        event_target::<leptos::web_sys::HtmlInputElement>(&ev).set_value(&text);
                    }
                    on_change.run(text)
                }
            />
        </label>
    }
}

/// What a field holds now, without characters the domain refuses.
fn typed(ev: &leptos::ev::Event) -> String {
    shared::text::strip_disallowed(&event_target_value(ev))
}

#[component]
pub fn TextArea(
    label: T,
    value: String,
    testid: &'static str,
    on_change: Callback<String>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let shown = value.clone();
    view! {
        <label class="field wide">
            <span>{t(label)}</span>
            <textarea rows="3" data-testid=testid maxlength=shared::text::LONG_TEXT_MAX disabled=disabled prop:value=shown on:input=move |ev| on_change.run(typed(&ev))>
                {value}
            </textarea>
        </label>
    }
}

#[component]
pub fn CheckBox(
    label: T,
    checked: bool,
    testid: &'static str,
    on_change: Callback<bool>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" checked=checked prop:checked=checked data-testid=testid disabled=disabled on:change=move |ev| on_change.run(event_target_checked(&ev)) />
            <span>{t(label)}</span>
        </label>
    }
}

/// A select over an enum's values, labelled in the current language.
#[component]
pub fn EnumSelect<E>(
    label: T,
    options: Vec<E>,
    selected: E,
    label_of: fn(E, shared::Lang) -> &'static str,
    testid: &'static str,
    on_change: Callback<E>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView
where
    E: Copy + PartialEq + Send + Sync + 'static,
{
    let lang = crate::i18n::use_lang();
    let opts = options.clone();
    view! {
        <label class="field">
            <span>{t(label)}</span>
            <select
                data-testid=testid
                disabled=disabled
                on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        if let Some(v) = opts.get(i) {
                            on_change.run(*v);
                        }
                    }
                }
            >
                {options
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| view! { <option value=i.to_string() selected=v == selected prop:selected=v == selected>{move || label_of(v, lang.get())}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
