//! Moving between pages. Every page is its own document: a link or [`go`]
//! loads it whole, so a page the service worker cached is entered the same
//! way online and offline, and the only state carried from page to page is
//! the device's store (written on every change, before any navigation).

/// Every page, by the path it is served at. The server renders one shell per
/// page; the shell names its page in `<body data-page>` so the browser
/// hydrates the same page even when the service worker answered with another
/// path's cached shell. The desktop pages do not exist in the field
/// bundle, which never hydrates them: not a byte of them reaches the
/// tablet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Login,
    Capture,
    Edit,
    #[cfg(not(feature = "field-bundle"))]
    Print,
    #[cfg(not(feature = "field-bundle"))]
    Attachments,
    #[cfg(not(feature = "field-bundle"))]
    Review,
    #[cfg(not(feature = "field-bundle"))]
    ReviewDetail,
    #[cfg(not(feature = "field-bundle"))]
    Admin,
    #[cfg(not(feature = "field-bundle"))]
    FollowUp,
    #[cfg(not(feature = "field-bundle"))]
    Notice,
    #[cfg(not(feature = "field-bundle"))]
    Item,
    #[cfg(not(feature = "field-bundle"))]
    Agency,
    #[cfg(not(feature = "field-bundle"))]
    Overdue,
    #[cfg(not(feature = "field-bundle"))]
    Settings,
    #[cfg(not(feature = "field-bundle"))]
    Publish,
    #[cfg(not(feature = "field-bundle"))]
    Plan,
    #[cfg(not(feature = "field-bundle"))]
    Compliance,
    #[cfg(not(feature = "field-bundle"))]
    Reports,
    #[cfg(not(feature = "field-bundle"))]
    Report,
}

impl Page {
    pub const ALL: &'static [Page] = &[
        Page::Home,
        Page::Login,
        Page::Capture,
        Page::Edit,
        #[cfg(not(feature = "field-bundle"))]
        Page::Print,
        #[cfg(not(feature = "field-bundle"))]
        Page::Attachments,
        #[cfg(not(feature = "field-bundle"))]
        Page::Review,
        #[cfg(not(feature = "field-bundle"))]
        Page::ReviewDetail,
        #[cfg(not(feature = "field-bundle"))]
        Page::Admin,
        #[cfg(not(feature = "field-bundle"))]
        Page::FollowUp,
        #[cfg(not(feature = "field-bundle"))]
        Page::Notice,
        #[cfg(not(feature = "field-bundle"))]
        Page::Item,
        #[cfg(not(feature = "field-bundle"))]
        Page::Agency,
        #[cfg(not(feature = "field-bundle"))]
        Page::Overdue,
        #[cfg(not(feature = "field-bundle"))]
        Page::Settings,
        #[cfg(not(feature = "field-bundle"))]
        Page::Publish,
        #[cfg(not(feature = "field-bundle"))]
        Page::Plan,
        #[cfg(not(feature = "field-bundle"))]
        Page::Compliance,
        #[cfg(not(feature = "field-bundle"))]
        Page::Reports,
        #[cfg(not(feature = "field-bundle"))]
        Page::Report,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Login => "/login",
            Page::Capture => "/capture",
            Page::Edit => "/capture/edit",
            #[cfg(not(feature = "field-bundle"))]
            Page::Print => "/capture/print",
            #[cfg(not(feature = "field-bundle"))]
            Page::Attachments => "/capture/attachments",
            #[cfg(not(feature = "field-bundle"))]
            Page::Review => "/review",
            #[cfg(not(feature = "field-bundle"))]
            Page::ReviewDetail => "/review/view",
            #[cfg(not(feature = "field-bundle"))]
            Page::Admin => "/admin",
            #[cfg(not(feature = "field-bundle"))]
            Page::FollowUp => "/follow-up",
            #[cfg(not(feature = "field-bundle"))]
            Page::Notice => "/follow-up/notice",
            #[cfg(not(feature = "field-bundle"))]
            Page::Item => "/follow-up/item",
            #[cfg(not(feature = "field-bundle"))]
            Page::Agency => "/agency",
            #[cfg(not(feature = "field-bundle"))]
            Page::Overdue => "/overdue",
            #[cfg(not(feature = "field-bundle"))]
            Page::Settings => "/settings",
            #[cfg(not(feature = "field-bundle"))]
            Page::Publish => "/follow-up/publish",
            #[cfg(not(feature = "field-bundle"))]
            Page::Plan => "/plan",
            #[cfg(not(feature = "field-bundle"))]
            Page::Compliance => "/compliance",
            #[cfg(not(feature = "field-bundle"))]
            Page::Reports => "/reports",
            #[cfg(not(feature = "field-bundle"))]
            Page::Report => "/reports/view",
        }
    }

    pub fn from_path(path: &str) -> Option<Page> {
        Page::ALL.iter().copied().find(|p| p.path() == path)
    }

    /// The pages a secretary needs first in the field, hydrated by the
    /// small field bundle: what a tablet downloads on its first visit.
    pub fn in_field_bundle(self) -> bool {
        matches!(self, Page::Home | Page::Login | Page::Capture | Page::Edit)
    }

    /// The pages that work offline: the field bundle's, and the print view
    /// and the attachments, which the full bundle hydrates (kept by the
    /// service worker after the first visit, so the first stays small).
    pub fn works_offline(self) -> bool {
        #[cfg(not(feature = "field-bundle"))]
        if matches!(self, Page::Print | Page::Attachments) {
            return true;
        }
        self.in_field_bundle()
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
