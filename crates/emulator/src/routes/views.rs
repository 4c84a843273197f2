//! Plain HTML pages for people, at the links Confluence hands out:
//!
//! - Data Center: `<context>/pages/viewpage.action?pageId=ID`, spaces at `<context>/display/KEY`;
//! - Cloud: `/wiki/spaces/KEY/pages/ID/Title`, spaces at `/wiki/spaces/KEY`;
//! - both: the site root lists the spaces.
//!
//! A page shows its title, version, author and the stored storage format as-is (it is XHTML, so
//! a browser renders it roughly), then its labels and attachments (linked to their downloads).
//! Views need no sign-in: they are for looking, not for testing permissions. All text goes
//! through [`crate::escape`]; only the stored body is raw.

use crate::config::Flavor;
use crate::escape::{html_attribute, html_text, path_segment};
use crate::request::{Incoming, Reply};
use crate::store::{Page, Space, Store};

use super::cloud_json::webui;
use super::Site;

pub fn handle(site: &Site, store: &Store, request: &Incoming, inside: &str) -> Reply {
    if request.method != "GET" {
        return Reply::text(405, "Method Not Allowed").with_header("Allow", "GET");
    }
    let segments: Vec<&str> = inside.split('/').skip(1).collect();
    let found = match (site.flavor, segments.as_slice()) {
        (_, [""]) => Some(site_index(site, store)),
        (Flavor::DataCenter, ["pages", "viewpage.action"]) => {
            let id = request.query_value("pageId").unwrap_or_default();
            store.page(id).map(|page| page_view(site, store, page))
        }
        (Flavor::DataCenter, ["display", key])
        | (Flavor::Cloud, ["spaces", key] | ["spaces", key, "overview"]) => {
            store.space(key).map(|space| space_view(site, store, space))
        }
        (Flavor::Cloud, ["spaces", key, "pages", id, ..]) => store
            .page(id)
            .filter(|page| page.space_key == *key)
            .map(|page| page_view(site, store, page)),
        (Flavor::DataCenter | Flavor::Cloud, _) => None,
    };
    found.unwrap_or_else(|| not_found(site, &request.path))
}

/// The 404 page, for paths outside the site or unknown inside it.
pub fn not_found(site: &Site, path: &str) -> Reply {
    let body = format!(
        "<h1>Page not found</h1><p>Nothing at <code>{}</code>. This Confluence lives at \
         <a href=\"{base}\">{base}</a>.</p>",
        html_text(path),
        base = html_attribute(&site.base_url())
    );
    Reply::html(404, document("Page not found", &body))
}

/// The address a person opens for a page.
pub fn page_link(site: &Site, page: &Page) -> String {
    match site.flavor {
        Flavor::DataCenter => format!(
            "{}/pages/viewpage.action?pageId={}",
            site.base_url(),
            page.id
        ),
        Flavor::Cloud => format!("{}{}", site.base_url(), webui(page)),
    }
}

fn space_link(site: &Site, space: &Space) -> String {
    match site.flavor {
        Flavor::DataCenter => format!("{}/display/{}", site.base_url(), space.key),
        Flavor::Cloud => format!("{}/spaces/{}", site.base_url(), space.key),
    }
}

fn page_view(site: &Site, store: &Store, page: &Page) -> Reply {
    let author = store
        .user(&page.version.author)
        .map_or(page.version.author.as_str(), |u| &u.display_name);
    let message = match page.version.message.as_str() {
        "" => String::new(),
        message => format!(" &#8212; {}", html_text(message)),
    };
    let body = format!(
        "<nav>{trail}</nav>\n<h1 id=\"title-text\">{title}</h1>\n\
         <p class=\"page-metadata\">Version {version} by {author}, {when}{message}</p>\n\
         <div id=\"main-content\" class=\"wiki-content\">\n{content}\n</div>\n{extras}{children}",
        trail = breadcrumbs(site, store, page),
        title = html_text(&page.title),
        version = page.version.number,
        author = html_text(author),
        when = html_text(&page.version.when),
        content = page.body,
        extras = labels_and_attachments(site, page),
        children = link_list("Child pages", site, store.children(page.id)),
    );
    Reply::html(200, document(&page.title, &body))
}

/// The page's labels, then its attachments linked to their downloads; empty when it has none.
fn labels_and_attachments(site: &Site, page: &Page) -> String {
    let mut out = String::new();
    if !page.labels.is_empty() {
        let names: Vec<String> = page.labels.iter().map(|l| html_text(&l.name)).collect();
        out.push_str(&format!(
            "<p class=\"labels\">Labels: {}</p>\n",
            names.join(", ")
        ));
    }
    let items: Vec<String> = page
        .attachments
        .iter()
        .map(|attachment| {
            let href = format!(
                "{}/download/attachments/{}/{}",
                site.base_url(),
                page.id,
                path_segment(&attachment.file_name)
            );
            let size = attachment.current().bytes.len();
            format!(
                "<li>{} ({size} bytes)</li>",
                link(&href, &attachment.file_name)
            )
        })
        .collect();
    if !items.is_empty() {
        out.push_str(&format!(
            "<h2>Attachments</h2>\n<ul>\n{}\n</ul>\n",
            items.join("\n")
        ));
    }
    out
}

fn breadcrumbs(site: &Site, store: &Store, page: &Page) -> String {
    let space = store.space(&page.space_key);
    let space_crumb = space.map(|space| link(&space_link(site, space), &space.name));
    let ancestors = store
        .ancestors(page)
        .into_iter()
        .map(|a| link(&page_link(site, a), &a.title));
    space_crumb
        .into_iter()
        .chain(ancestors)
        .collect::<Vec<_>>()
        .join(" / ")
}

fn space_view(site: &Site, store: &Store, space: &Space) -> Reply {
    let body = format!(
        "<nav>{}</nav>\n<h1>{}</h1>\n{}",
        link(&site.base_url(), "All spaces"),
        html_text(&space.name),
        link_list("Pages", site, store.pages_in(&space.key, None)),
    );
    Reply::html(200, document(&space.name, &body))
}

fn site_index(site: &Site, store: &Store) -> Reply {
    let items: Vec<String> = store
        .spaces()
        .map(|space| {
            format!(
                "<li>{} ({})</li>",
                link(&space_link(site, space), &space.name),
                html_text(&space.key)
            )
        })
        .collect();
    let body = format!("<h1>Spaces</h1>\n<ul>\n{}\n</ul>", items.join("\n"));
    Reply::html(200, document("Spaces", &body))
}

fn link_list<'p>(heading: &str, site: &Site, pages: impl Iterator<Item = &'p Page>) -> String {
    let items: Vec<String> = pages
        .map(|page| format!("<li>{}</li>", link(&page_link(site, page), &page.title)))
        .collect();
    match items.is_empty() {
        true => String::new(),
        false => format!(
            "<h2>{}</h2>\n<ul>\n{}\n</ul>",
            html_text(heading),
            items.join("\n")
        ),
    }
}

fn link(href: &str, text: &str) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        html_attribute(href),
        html_text(text)
    )
}

fn document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{} - Confluence emulator</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n\
         </body>\n</html>\n",
        html_text(title)
    )
}

const STYLE: &str = "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}\
                     .page-metadata{color:#666}nav{font-size:90%}";
