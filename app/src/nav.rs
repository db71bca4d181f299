//! Moving between pages. Every page is its own document: a link or [`go`]
//! loads it whole, so a page the service worker cached is entered the same
//! way online and offline, and the only state carried from page to page is
//! the device's store (written on every change, before any navigation).

/// Every page, by the path it is served at. The server renders one shell per
/// page; the shell names its page in `<body data-page>` so the browser
/// hydrates the same page even when the service worker answered with another
/// path's cached shell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Login,
    Capture,
    Edit,
    Print,
    Review,
    ReviewDetail,
    Admin,
    FollowUp,
    Notice,
    Item,
    Agency,
    Overdue,
    Settings,
    Publish,
    Plan,
    Compliance,
    Reports,
}

impl Page {
    pub const ALL: [Page; 18] = [
        Page::Home,
        Page::Login,
        Page::Capture,
        Page::Edit,
        Page::Print,
        Page::Review,
        Page::ReviewDetail,
        Page::Admin,
        Page::FollowUp,
        Page::Notice,
        Page::Item,
        Page::Agency,
        Page::Overdue,
        Page::Settings,
        Page::Publish,
        Page::Plan,
        Page::Compliance,
        Page::Reports,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Login => "/login",
            Page::Capture => "/capture",
            Page::Edit => "/capture/edit",
            Page::Print => "/capture/print",
            Page::Review => "/review",
            Page::ReviewDetail => "/review/view",
            Page::Admin => "/admin",
            Page::FollowUp => "/follow-up",
            Page::Notice => "/follow-up/notice",
            Page::Item => "/follow-up/item",
            Page::Agency => "/agency",
            Page::Overdue => "/overdue",
            Page::Settings => "/settings",
            Page::Publish => "/follow-up/publish",
            Page::Plan => "/plan",
            Page::Compliance => "/compliance",
            Page::Reports => "/reports",
        }
    }

    pub fn from_path(path: &str) -> Option<Page> {
        Page::ALL.into_iter().find(|p| p.path() == path)
    }

    /// The pages a secretary needs in the field. They work offline and are
    /// hydrated by the small field bundle; the rest (review, administration)
    /// are desktop screens served with the full bundle.
    pub fn in_field_bundle(self) -> bool {
        matches!(
            self,
            Page::Home | Page::Login | Page::Capture | Page::Edit | Page::Print
        )
    }
}

/// The public results page: rendered by the server as plain HTML, without
/// the app (`server/src/public_page.rs`).
pub const PUBLIC: &str = "/public";

/// Opens `path` as a new document.
pub fn go(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// A parameter of this page's query string (`?d=<id>`). A page never changes
/// its own query, so it is read once. On the server there is none: shells
/// carry no data.
pub fn query_param(name: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let search = web_sys::window()?.location().search().ok()?;
        web_sys::UrlSearchParams::new_with_str(&search)
            .ok()?
            .get(name)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = name;
        None
    }
}

/// The page the server rendered into this document.
#[cfg(feature = "hydrate")]
pub fn rendered_page() -> Option<Page> {
    let path = web_sys::window()?
        .document()?
        .body()?
        .get_attribute("data-page")?;
    Page::from_path(&path)
}
