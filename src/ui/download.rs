//! Files the app hands the learner: the scene's capture and scenario file, and the exported
//! progress. One way for all of them: the bytes become a Blob, and a link with `download`
//! saves it under its name. Nothing is fetched and nothing leaves the page.

use wasm_bindgen::JsCast;

use crate::i18n::{tp, Msg};

/// A file to save: its name, its media type and its bytes.
pub struct File<'a> {
    pub name: &'a str,
    pub mime: &'a str,
    pub bytes: &'a [u8],
}

/// Offer `file` to the learner as a download, or say in a few words why the browser would not.
pub fn save(file: &File) -> Result<(), String> {
    let refused = || tp(Msg::DownloadsRefused, &[("name", file.name)]);
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(file.bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(file.mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| refused())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| refused())?;
    let link = gloo::utils::document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(refused)?;
    link.set_href(&url);
    link.set_download(file.name);
    link.click();
    // The browser reads the Blob after this call returns: let it go a minute later.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
