//! Joins the PDFs of a book laid out in parts into one tagged PDF.
//!
//! Typst holds a whole document in memory while it lays it out (about a
//! megabyte a page), so a long book is compiled in parts. Each part sets
//! some of the book's pages and says, for each of its own pages, which page
//! of the book it stands for (a stand-in for a page set in another part
//! stands for that page too, so that a link to it can be pointed at the
//! real one). The first part (the front matter, with every statement as a
//! stand-in) gives the catalog, the document metadata and the output
//! intent. Joined from all the parts:
//!
//! - the page tree, each page taken from the part that sets it;
//! - the structure tree: each part's top-level structure elements that lie
//!   on its own pages, in order, under the first part's Document element;
//!   the parent tree renumbered, element IDs made unique;
//! - the bookmarks, rebuilt by depth from each part's own;
//! - page labels and named destinations;
//! - links and bookmarks to a stand-in page, pointed at the page that
//!   replaces it (a contents entry in the front matter links to a
//!   statement set in another part).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

/// One compilation's PDF: for each of its pages, the page of the book
/// (0-based) it stands for, if any; and the pages of the book it sets.
pub(crate) struct Part {
    pub pdf: Vec<u8>,
    pub pages: Vec<Option<usize>>,
    pub sets: Range<usize>,
}

/// A part, loaded and renumbered into the joined document's object space.
struct Renumbered {
    doc: Document,
    /// Its page objects, in order.
    pages: Vec<ObjectId>,
    index: HashMap<ObjectId, usize>,
    /// The page of the book each of its pages stands for.
    book: Vec<Option<usize>>,
    /// Its page that stands for each page of the book it has.
    at: HashMap<usize, usize>,
    owned: Range<usize>,
}

impl Renumbered {
    /// The page of the book a page of this part stands for.
    fn book_page(&self, page: ObjectId) -> Option<usize> {
        self.index
            .get(&page)
            .and_then(|i| self.book.get(*i).copied().flatten())
    }

    fn owns_page(&self, page: ObjectId) -> Option<bool> {
        self.index.get(&page).map(|_| {
            self.book_page(page)
                .is_some_and(|b| self.owned.contains(&b))
        })
    }
}

/// Joins `parts` (the first sets the front matter). The pages the parts
/// set must cover the book in order.
/// `names` describes each heading a link may point at from another part
/// (a link's alternative text): see [`resolve_links`].
pub(crate) fn join(parts: &[Part], names: &BTreeMap<String, String>) -> Result<Vec<u8>, String> {
    let (mut loaded, next) = load(parts)?;
    let book = cover(&loaded)?;

    // Read what each part contributes before anything is changed.
    let outline = all_bookmarks(&loaded);
    let labels = book_labels(&loaded, &book);
    let dests = named_dests(&loaded);

    let structure = gather_structure(&mut loaded)?;
    repoint_stand_ins(&mut loaded, &book);

    // Into one document. The new objects are numbered in the order they
    // are added, so the order of these steps is part of the output.
    let mut joined = merge(loaded, next)?;
    flatten_pages(&mut joined, &book)?;
    set_structure(&mut joined, structure)?;
    set_bookmarks(&mut joined, &outline);
    set_page_labels(&mut joined, labels);
    let known: HashSet<Vec<u8>> = dests.keys().cloned().collect();
    set_named_dests(&mut joined, dests);
    resolve_links(&mut joined, &known, names)?;
    set_page_count(&mut joined, book.total);
    save(joined)
}

/// Loads each part and renumbers its objects after the previous part's,
/// so that no two parts share an object number; also gives the first
/// number free after them all.
fn load(parts: &[Part]) -> Result<(Vec<Renumbered>, u32), String> {
    let mut next = 1u32;
    let mut loaded = Vec::new();
    for (c, part) in parts.iter().enumerate() {
        let mut doc = Document::load_mem(&part.pdf)
            .map_err(|e| format!("part {} of the book cannot be read back: {e}", c + 1))?;
        doc.renumber_objects_with(next);
        next = doc.objects.keys().map(|id| id.0).max().unwrap_or(next) + 1;
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let index = pages.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        let mut book = part.pages.clone();
        book.resize(pages.len(), None);
        let at = book
            .iter()
            .enumerate()
            .filter_map(|(j, b)| b.map(|b| (b, j)))
            .collect();
        loaded.push(Renumbered {
            doc,
            pages,
            index,
            book,
            at,
            owned: part.sets.clone(),
        });
    }
    Ok((loaded, next))
}

/// The pages of the book and the parts that set them.
struct Book {
    /// The number of pages.
    total: usize,
    /// The part that sets each page.
    owner: Vec<usize>,
    /// The page object that sets each page, in order.
    pages: Vec<ObjectId>,
}

/// Checks that the pages the parts set cover the book in order, each
/// with a page of its part that stands for it, and says which part and
/// page set each page of the book.
fn cover(loaded: &[Renumbered]) -> Result<Book, String> {
    let total = loaded.last().map_or(0, |l| l.owned.end);
    let mut owner = vec![usize::MAX; total];
    let mut book_pages = Vec::with_capacity(total);
    let mut at = 0;
    for (c, l) in loaded.iter().enumerate() {
        if l.owned.start != at {
            return Err(format!(
                "part {} sets pages {}–{} of the book, after page {at}",
                c + 1,
                l.owned.start + 1,
                l.owned.end
            ));
        }
        for i in l.owned.clone() {
            let j = *l
                .at
                .get(&i)
                .ok_or_else(|| format!("part {} has no page {} of the book", c + 1, i + 1))?;
            owner[i] = c;
            book_pages.push(l.pages[j]);
        }
        at = l.owned.end;
    }
    if loaded.is_empty() || total == 0 {
        return Err("a book of no pages".into());
    }
    Ok(Book {
        total,
        owner,
        pages: book_pages,
    })
}

/// Every part's bookmarks to its own pages, in the order of the parts.
fn all_bookmarks(loaded: &[Renumbered]) -> Vec<Bookmark> {
    loaded
        .iter()
        .enumerate()
        .flat_map(|(c, l)| bookmarks(l, c == 0))
        .collect()
}

/// Each page's label, from the part that sets it.
fn book_labels(loaded: &[Renumbered], book: &Book) -> Vec<Option<Label>> {
    let part_labels: Vec<BTreeMap<usize, Label>> = loaded.iter().map(page_labels).collect();
    book.owner
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let at = *loaded[c].at.get(&i)?;
            let (j, label) = part_labels[c].range(..=at).next_back()?;
            Some(Label {
                start: label.start + (at - j) as i64,
                ..label.clone()
            })
        })
        .collect()
}

/// The book's structure tree, gathered from the parts before they are
/// put together.
struct Structure {
    /// The top-level elements, in order.
    top: Vec<ObjectId>,
    /// The kept elements by their (now unique) IDs.
    ids: BTreeMap<Vec<u8>, ObjectId>,
    /// The parent tree's entries, renumbered.
    parent_tree: Vec<(i64, Object)>,
    /// The parent tree's next key.
    next_key: i64,
    /// The parts' role maps and class maps, the first of a name winning.
    role_map: Dictionary,
    class_map: Dictionary,
}

/// Gathers each part's top-level structure elements on its own pages:
/// makes their IDs unique, keeps the parent tree entries that name them,
/// renumbers the parts' `/StructParent(s)` keys one after another, and
/// merges the role and class maps (the first of a name wins).
fn gather_structure(loaded: &mut [Renumbered]) -> Result<Structure, String> {
    let mut top = Vec::new();
    let mut ids = BTreeMap::new();
    let mut parent_tree = Vec::new();
    let mut role_map = Dictionary::new();
    let mut class_map = Dictionary::new();
    let mut key_offset = 0i64;
    for (c, l) in loaded.iter_mut().enumerate() {
        let Some(tree) = struct_tree(l)? else {
            continue;
        };
        let kept = descendants(&l.doc, &tree.kept);
        for id in &kept {
            rename_ids(&mut l.doc, *id, c, &mut ids);
        }
        for (key, value) in tree.parent_tree {
            if refs_of(&l.doc, &value).iter().any(|r| kept.contains(r)) {
                parent_tree.push((key + key_offset, value));
            }
        }
        for obj in l.doc.objects.values_mut() {
            shift_struct_parents(obj, key_offset);
        }
        key_offset += tree.next_key;
        for (k, v) in tree.role_map.iter() {
            if !role_map.has(k) {
                role_map.set(k.clone(), v.clone());
            }
        }
        for (k, v) in tree.class_map.iter() {
            if !class_map.has(k) {
                class_map.set(k.clone(), v.clone());
            }
        }
        top.extend(tree.kept);
    }
    Ok(Structure {
        top,
        ids,
        parent_tree,
        next_key: key_offset,
        role_map,
        class_map,
    })
}

/// Points links, bookmarks and named destinations to stand-in pages at
/// the pages of the book they stand for.
fn repoint_stand_ins(loaded: &mut [Renumbered], book: &Book) {
    for l in loaded.iter_mut() {
        let map: HashMap<ObjectId, ObjectId> = l
            .pages
            .iter()
            .filter_map(|p| Some((*p, *book.pages.get(l.book_page(*p)?)?)))
            .collect();
        for obj in l.doc.objects.values_mut() {
            remap_dests(obj, &map);
        }
    }
}

/// The joined document while it is put together: the first part's, and
/// a copy of its catalog, set back when the document is saved.
struct Joined {
    doc: Document,
    catalog_id: ObjectId,
    catalog: Dictionary,
}

/// Puts everything into the first part's document.
fn merge(loaded: Vec<Renumbered>, next: u32) -> Result<Joined, String> {
    let mut parts_iter = loaded.into_iter();
    let front = parts_iter.next().expect("checked by `cover`");
    let mut doc = front.doc;
    for l in parts_iter {
        doc.objects.extend(l.doc.objects);
    }
    doc.max_id = next.saturating_sub(1);
    let catalog_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| format!("the front matter's PDF has no catalog: {e}"))?;
    let catalog = doc
        .get_dictionary(catalog_id)
        .map_err(|e| e.to_string())?
        .clone();
    Ok(Joined {
        doc,
        catalog_id,
        catalog,
    })
}

/// Pages: one flat tree, inheritable attributes pushed down to each page.
fn flatten_pages(joined: &mut Joined, book: &Book) -> Result<(), String> {
    let doc = &mut joined.doc;
    let pages_id = joined
        .catalog
        .get(b"Pages")
        .and_then(Object::as_reference)
        .map_err(|e| e.to_string())?;
    for &page in &book.pages {
        let attrs = inheritable(doc, page);
        if let Ok(dict) = doc.get_dictionary_mut(page) {
            for (k, v) in attrs.iter() {
                if !dict.has(k) {
                    dict.set(k.clone(), v.clone());
                }
            }
            dict.set("Parent", pages_id);
        }
    }
    let mut pages_node = Dictionary::new();
    pages_node.set("Type", "Pages");
    pages_node.set(
        "Kids",
        book.pages
            .iter()
            .map(|p| Object::Reference(*p))
            .collect::<Vec<_>>(),
    );
    pages_node.set("Count", book.total as i64);
    doc.objects.insert(pages_id, Object::Dictionary(pages_node));
    Ok(())
}

/// The structure tree under the front matter's Document element: its
/// kids, the parent tree, the ID tree and the role and class maps.
fn set_structure(joined: &mut Joined, structure: Structure) -> Result<(), String> {
    let Structure {
        top,
        ids,
        mut parent_tree,
        next_key,
        role_map,
        class_map,
    } = structure;
    let doc = &mut joined.doc;
    let Ok(root_id) = joined
        .catalog
        .get(b"StructTreeRoot")
        .and_then(Object::as_reference)
    else {
        return Ok(());
    };
    let mut root = doc
        .get_dictionary(root_id)
        .map_err(|e| e.to_string())?
        .clone();
    let document = document_element(&root)?;
    for kid in &top {
        if let Ok(d) = doc.get_dictionary_mut(*kid) {
            d.set("P", document);
        }
    }
    let kids: Vec<Object> = top.iter().map(|k| Object::Reference(*k)).collect();
    doc.get_dictionary_mut(document)
        .map_err(|e| e.to_string())?
        .set("K", kids);
    root.set("K", vec![Object::Reference(document)]);
    let mut nums = Vec::with_capacity(parent_tree.len() * 2);
    parent_tree.sort_by_key(|(k, _)| *k);
    for (k, v) in parent_tree {
        nums.push(Object::Integer(k));
        nums.push(v);
    }
    let tree = doc.add_object(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    root.set("ParentTree", tree);
    root.set("ParentTreeNextKey", next_key);
    if ids.is_empty() {
        root.remove(b"IDTree");
    } else {
        let names: Vec<Object> = ids
            .into_iter()
            .flat_map(|(k, v)| {
                [
                    Object::String(k, StringFormat::Literal),
                    Object::Reference(v),
                ]
            })
            .collect();
        root.set(
            "IDTree",
            Dictionary::from_iter(vec![("Names", Object::Array(names))]),
        );
    }
    if !role_map.is_empty() {
        root.set("RoleMap", role_map);
    }
    if !class_map.is_empty() {
        root.set("ClassMap", class_map);
    }
    doc.objects.insert(root_id, Object::Dictionary(root));
    Ok(())
}

/// Bookmarks: one outline of them all, or none if there are none.
fn set_bookmarks(joined: &mut Joined, outline: &[Bookmark]) {
    let Joined { doc, catalog, .. } = joined;
    if outline.is_empty() {
        catalog.remove(b"Outlines");
    } else {
        let root = catalog
            .get(b"Outlines")
            .and_then(Object::as_reference)
            .unwrap_or_else(|_| doc.new_object_id());
        write_outline(doc, root, outline);
        catalog.set("Outlines", root);
    }
}

/// Page labels, one entry where the numbering does not simply go on.
fn set_page_labels(joined: &mut Joined, labels: Vec<Option<Label>>) {
    if !labels.iter().any(Option::is_some) {
        return;
    }
    let mut nums = Vec::new();
    let mut last: Option<Label> = None;
    for (i, here) in labels.into_iter().enumerate() {
        let Some(here) = here else { continue };
        let goes_on = last.as_ref().is_some_and(|p| {
            p.style == here.style && p.prefix == here.prefix && p.start + 1 == here.start
        });
        if !goes_on {
            nums.push(Object::Integer(i as i64));
            nums.push(Object::Dictionary(here.dict()));
        }
        last = Some(here);
    }
    let id = joined
        .doc
        .add_object(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    joined.catalog.set("PageLabels", id);
}

/// Named destinations, in the catalog's name dictionary.
fn set_named_dests(joined: &mut Joined, dests: BTreeMap<Vec<u8>, Object>) {
    if dests.is_empty() {
        return;
    }
    let names: Vec<Object> = dests
        .into_iter()
        .flat_map(|(k, v)| [Object::String(k, StringFormat::Literal), v])
        .collect();
    let mut all = joined
        .catalog
        .get(b"Names")
        .ok()
        .and_then(|n| joined.doc.dereference(n).ok())
        .and_then(|(_, o)| o.as_dict().ok().cloned())
        .unwrap_or_default();
    all.set(
        "Dests",
        Dictionary::from_iter(vec![("Names", Object::Array(names))]),
    );
    joined.catalog.set("Names", all);
}

/// A link to a heading that another part sets is written by the book's
/// writer as a link to `pamphleteer:NAME` (Typst cannot link to a label
/// its compilation lacks); here it becomes a link to the named
/// destination NAME, which the joined names tree holds, with the heading's
/// description as the link's alternative text (Typst wrote the placeholder
/// there).
fn resolve_links(
    joined: &mut Joined,
    known: &HashSet<Vec<u8>>,
    names: &BTreeMap<String, String>,
) -> Result<(), String> {
    for obj in joined.doc.objects.values_mut() {
        let Object::Dictionary(d) = obj else { continue };
        let name = d
            .get(b"A")
            .ok()
            .and_then(|a| a.as_dict().ok())
            .and_then(|a| a.get(b"URI").ok())
            .and_then(|u| u.as_str().ok())
            .and_then(|u| u.strip_prefix(b"pamphleteer:"))
            .map(<[u8]>::to_vec);
        let Some(name) = name else { continue };
        if !known.contains(&name) {
            return Err(format!(
                "a link to `{}`, which no part of the book sets",
                String::from_utf8_lossy(&name)
            ));
        }
        let alt = names
            .get(String::from_utf8_lossy(&name).as_ref())
            .cloned()
            .unwrap_or_default();
        d.remove(b"A");
        d.set("Dest", Object::String(name, StringFormat::Literal));
        d.set("Contents", text_string(&alt));
    }
    Ok(())
}

/// A PDF text string: ASCII as it is, anything else in UTF-16BE with its
/// byte order mark.
fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::string_literal(text);
    }
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Sets the metadata's page count to the book's: it is the front matter
/// part's own.
fn set_page_count(joined: &mut Joined, total: usize) {
    if let Ok(meta) = joined
        .catalog
        .get(b"Metadata")
        .and_then(Object::as_reference)
        && let Ok(Object::Stream(stream)) = joined.doc.get_object_mut(meta)
    {
        let _ = stream.decompress();
        if let Ok(xmp) = String::from_utf8(stream.content.clone())
            && let (Some(a), Some(b)) = (xmp.find("<xmpTPg:NPages>"), xmp.find("</xmpTPg:NPages>"))
            && a < b
        {
            let fixed = format!("{}<xmpTPg:NPages>{total}{}", &xmp[..a], &xmp[b..]);
            stream.set_content(fixed.into_bytes());
        }
    }
}

/// Sets the catalog back, drops the parts' cross-reference entries from
/// the trailer and the objects nothing refers to any more, and writes the
/// joined book.
fn save(joined: Joined) -> Result<Vec<u8>, String> {
    let Joined {
        mut doc,
        catalog_id,
        catalog,
    } = joined;
    doc.objects.insert(catalog_id, Object::Dictionary(catalog));
    for key in [b"Prev".as_slice(), b"XRefStm", b"Size"] {
        doc.trailer.remove(key);
    }
    doc.prune_objects();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .map_err(|e| format!("the joined book cannot be written: {e}"))?;
    Ok(bytes)
}

/// The attributes a page inherits from its page tree, which it must carry
/// itself once the tree is flat.
fn inheritable(doc: &Document, page: ObjectId) -> Dictionary {
    let mut found = Dictionary::new();
    let mut node = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Parent").and_then(Object::as_reference).ok());
    let mut guard = 0;
    while let Some(id) = node {
        guard += 1;
        let Ok(dict) = doc.get_dictionary(id) else {
            break;
        };
        for key in [b"Resources".as_slice(), b"MediaBox", b"CropBox", b"Rotate"] {
            if let Ok(v) = dict.get(key)
                && !found.has(key)
            {
                found.set(key.to_vec(), v.clone());
            }
        }
        node = dict.get(b"Parent").and_then(Object::as_reference).ok();
        if guard > 64 {
            break;
        }
    }
    found
}

/// One part's structure tree: its top-level elements on its own pages.
struct Tree {
    kept: Vec<ObjectId>,
    parent_tree: Vec<(i64, Object)>,
    next_key: i64,
    role_map: Dictionary,
    class_map: Dictionary,
}

fn struct_tree(l: &Renumbered) -> Result<Option<Tree>, String> {
    let doc = &l.doc;
    let Ok(catalog) = doc.catalog() else {
        return Ok(None);
    };
    let Ok(root_id) = catalog
        .get(b"StructTreeRoot")
        .and_then(Object::as_reference)
    else {
        return Ok(None);
    };
    let root = doc.get_dictionary(root_id).map_err(|e| e.to_string())?;
    let document = document_element(root)?;
    let kids = match doc.get_dictionary(document).and_then(|d| d.get(b"K")) {
        Ok(Object::Array(a)) => a.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    };
    let mut kept = Vec::new();
    let mut keep_last = false;
    for kid in kids {
        let Object::Reference(id) = kid else { continue };
        let keep = match first_page(doc, id, 0) {
            Some(page) => l.owns_page(page).unwrap_or(false),
            None => keep_last,
        };
        if keep {
            kept.push(id);
        }
        keep_last = keep;
    }
    let mut parent_tree = Vec::new();
    if let Ok(tree) = root.get(b"ParentTree") {
        number_tree(doc, tree, &mut parent_tree, 0);
    }
    let next_key = root
        .get(b"ParentTreeNextKey")
        .and_then(Object::as_i64)
        .unwrap_or_else(|_| parent_tree.iter().map(|(k, _)| k + 1).max().unwrap_or(0));
    let dict_of = |key: &[u8]| {
        root.get(key)
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok().cloned())
            .unwrap_or_default()
    };
    Ok(Some(Tree {
        kept,
        parent_tree,
        next_key,
        role_map: dict_of(b"RoleMap"),
        class_map: dict_of(b"ClassMap"),
    }))
}

/// The Document element under a structure tree root.
fn document_element(root: &Dictionary) -> Result<ObjectId, String> {
    match root.get(b"K") {
        Ok(Object::Reference(id)) => Some(*id),
        Ok(Object::Array(a)) => a.iter().find_map(|o| o.as_reference().ok()),
        _ => None,
    }
    .ok_or_else(|| "the structure tree has no Document element".to_string())
}

/// The first page a structure element's content lies on.
fn first_page(doc: &Document, id: ObjectId, depth: usize) -> Option<ObjectId> {
    if depth > 256 {
        return None;
    }
    let dict = doc.get_dictionary(id).ok()?;
    if let Ok(pg) = dict.get(b"Pg").and_then(Object::as_reference) {
        return Some(pg);
    }
    let kids = match dict.get(b"K").ok()? {
        Object::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    for kid in kids {
        match kid {
            Object::Reference(r) => {
                if let Some(p) = first_page(doc, r, depth + 1) {
                    return Some(p);
                }
            }
            Object::Dictionary(d) => {
                if let Ok(pg) = d.get(b"Pg").and_then(Object::as_reference) {
                    return Some(pg);
                }
            }
            _ => {}
        }
    }
    None
}

/// The structure elements in the subtrees of `top` (themselves included).
fn descendants(doc: &Document, top: &[ObjectId]) -> HashSet<ObjectId> {
    let mut seen = HashSet::new();
    let mut stack: Vec<ObjectId> = top.to_vec();
    while let Some(id) = stack.pop() {
        let Ok(dict) = doc.get_dictionary(id) else {
            continue;
        };
        if !dict.has(b"S") || !seen.insert(id) {
            continue;
        }
        match dict.get(b"K") {
            Ok(Object::Array(a)) => stack.extend(a.iter().filter_map(|o| o.as_reference().ok())),
            Ok(Object::Reference(r)) => stack.push(*r),
            _ => {}
        }
    }
    seen
}

/// Makes a kept element's ID unique in the book (the first part's stay as
/// they are) and records it; table headers that name IDs follow.
fn rename_ids(
    doc: &mut Document,
    id: ObjectId,
    part: usize,
    ids: &mut BTreeMap<Vec<u8>, ObjectId>,
) {
    let renamed = |s: &[u8]| -> Vec<u8> {
        if part == 0 {
            s.to_vec()
        } else {
            let mut v = s.to_vec();
            v.extend_from_slice(format!(" ~{part}").as_bytes());
            v
        }
    };
    let mut attribute_refs = Vec::new();
    if let Ok(dict) = doc.get_dictionary_mut(id) {
        if let Ok(Object::String(s, _)) = dict.get_mut(b"ID") {
            *s = renamed(s);
            ids.insert(s.clone(), id);
        }
        if let Ok(a) = dict.get_mut(b"A") {
            rename_headers(a, &renamed, &mut attribute_refs);
        }
    }
    for r in attribute_refs {
        if let Ok(obj) = doc.get_object_mut(r) {
            let mut more = Vec::new();
            rename_headers(obj, &renamed, &mut more);
        }
    }
}

fn rename_headers(obj: &mut Object, renamed: &dyn Fn(&[u8]) -> Vec<u8>, refs: &mut Vec<ObjectId>) {
    match obj {
        Object::Dictionary(d) => {
            if let Ok(Object::Array(headers)) = d.get_mut(b"Headers") {
                for h in headers {
                    if let Object::String(s, _) = h {
                        *s = renamed(s);
                    }
                }
            }
        }
        Object::Array(a) => {
            for o in a {
                rename_headers(o, renamed, refs);
            }
        }
        Object::Reference(r) => refs.push(*r),
        _ => {}
    }
}

/// The structure elements a parent tree value names.
fn refs_of(doc: &Document, value: &Object) -> Vec<ObjectId> {
    match value {
        Object::Reference(r) => match doc.get_object(*r) {
            Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_reference().ok()).collect(),
            _ => vec![*r],
        },
        Object::Array(a) => a.iter().filter_map(|o| o.as_reference().ok()).collect(),
        _ => Vec::new(),
    }
}

/// A number tree's entries, in order.
fn number_tree(doc: &Document, node: &Object, out: &mut Vec<(i64, Object)>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Ok((_, Object::Dictionary(dict))) = doc.dereference(node) else {
        return;
    };
    if let Ok(Object::Array(nums)) = dict.get(b"Nums") {
        for pair in nums.chunks(2) {
            if let [Object::Integer(k), v] = pair {
                out.push((*k, v.clone()));
            }
        }
    }
    if let Ok(Object::Array(kids)) = dict.get(b"Kids") {
        for kid in kids {
            number_tree(doc, kid, out, depth + 1);
        }
    }
}

/// A name tree's entries, in order.
fn name_tree(doc: &Document, node: &Object, out: &mut Vec<(Vec<u8>, Object)>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Ok((_, Object::Dictionary(dict))) = doc.dereference(node) else {
        return;
    };
    if let Ok(Object::Array(names)) = dict.get(b"Names") {
        for pair in names.chunks(2) {
            if let [Object::String(k, _), v] = pair {
                out.push((k.clone(), v.clone()));
            }
        }
    }
    if let Ok(Object::Array(kids)) = dict.get(b"Kids") {
        for kid in kids {
            name_tree(doc, kid, out, depth + 1);
        }
    }
}

/// Adds `offset` to every `/StructParent(s)` key: each part numbered its
/// pages and annotations from 0.
fn shift_struct_parents(obj: &mut Object, offset: i64) {
    if offset == 0 {
        return;
    }
    let dict = match obj {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &mut s.dict,
        Object::Array(a) => {
            for o in a {
                shift_struct_parents(o, offset);
            }
            return;
        }
        _ => return,
    };
    for (k, v) in dict.iter_mut() {
        match (k.as_slice(), v) {
            (b"StructParent" | b"StructParents", Object::Integer(n)) => *n += offset,
            (_, v @ (Object::Dictionary(_) | Object::Array(_))) => shift_struct_parents(v, offset),
            _ => {}
        }
    }
}

/// Points every explicit destination (`[page /XYZ …]` and the like) at the
/// book's page of the same number.
fn remap_dests(obj: &mut Object, map: &HashMap<ObjectId, ObjectId>) {
    match obj {
        Object::Array(a) => {
            let is_dest = matches!(
                (a.first(), a.get(1)),
                (Some(Object::Reference(p)), Some(Object::Name(fit)))
                    if map.contains_key(p) && (fit.starts_with(b"Fit") || fit.as_slice() == b"XYZ")
            );
            if is_dest {
                if let Some(Object::Reference(p)) = a.first_mut()
                    && let Some(to) = map.get(p)
                {
                    *p = *to;
                }
            } else {
                for o in a {
                    remap_dests(o, map);
                }
            }
        }
        Object::Dictionary(d) => {
            for (_, v) in d.iter_mut() {
                remap_dests(v, map);
            }
        }
        Object::Stream(s) => {
            for (_, v) in s.dict.iter_mut() {
                remap_dests(v, map);
            }
        }
        _ => {}
    }
}

/// The page an explicit destination (array, or a reference to one, or a
/// dictionary with `/D`) points at.
fn dest_page(doc: &Document, dest: &Object) -> Option<ObjectId> {
    match doc.dereference(dest).ok()?.1 {
        Object::Array(a) => a.first()?.as_reference().ok(),
        Object::Dictionary(d) => dest_page(doc, d.get(b"D").ok()?),
        _ => None,
    }
}

/// A bookmark: its object, depth and whether it is open.
struct Bookmark {
    id: ObjectId,
    depth: usize,
    open: bool,
}

/// A part's bookmarks to its own pages, in order with their depths (the
/// first part also keeps those that point nowhere it can tell).
fn bookmarks(l: &Renumbered, first: bool) -> Vec<Bookmark> {
    let doc = &l.doc;
    let mut out = Vec::new();
    let Some(root) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Outlines").and_then(Object::as_reference).ok())
        .and_then(|r| doc.get_dictionary(r).ok())
    else {
        return out;
    };
    let mut stack: Vec<(ObjectId, usize)> = Vec::new();
    if let Ok(f) = root.get(b"First").and_then(Object::as_reference) {
        stack.push((f, 0));
    }
    let mut guard = 0usize;
    // Depth first, in order: an item, its children, then its next sibling.
    while let Some((id, depth)) = stack.pop() {
        guard += 1;
        if guard > 1_000_000 {
            break;
        }
        let Ok(item) = doc.get_dictionary(id) else {
            continue;
        };
        let target = item
            .get(b"Dest")
            .ok()
            .and_then(|d| dest_page(doc, d))
            .or_else(|| {
                let action = doc
                    .dereference(item.get(b"A").ok()?)
                    .ok()?
                    .1
                    .as_dict()
                    .ok()?;
                dest_page(doc, action.get(b"D").ok()?)
            });
        let keep = match target {
            Some(page) => l.owns_page(page).unwrap_or(false),
            None => first,
        };
        if keep {
            out.push(Bookmark {
                id,
                depth,
                open: item.get(b"Count").and_then(Object::as_i64).unwrap_or(0) > 0,
            });
        }
        if let Ok(next) = item.get(b"Next").and_then(Object::as_reference) {
            stack.push((next, depth));
        }
        if let Ok(child) = item.get(b"First").and_then(Object::as_reference) {
            stack.push((child, depth + 1));
        }
    }
    out
}

/// Links the bookmarks into one outline under `root`, nesting each under
/// the last shallower one before it.
fn write_outline(doc: &mut Document, root: ObjectId, items: &[Bookmark]) {
    // children[0] are the root's; children[i + 1] are items[i]'s.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); items.len() + 1];
    let mut parent = vec![0usize; items.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        while stack.last().is_some_and(|&s| items[s].depth >= item.depth) {
            stack.pop();
        }
        let p = stack.last().map_or(0, |&s| s + 1);
        parent[i] = p;
        children[p].push(i);
        stack.push(i);
    }
    // Visible descendants of each node when it is open (deepest first).
    let mut visible = vec![0i64; items.len() + 1];
    for node in (0..=items.len()).rev() {
        visible[node] = children[node]
            .iter()
            .map(|&c| 1 + if items[c].open { visible[c + 1] } else { 0 })
            .sum();
    }
    let id_of = |node: usize| if node == 0 { root } else { items[node - 1].id };
    let mut root_dict = doc.get_dictionary(root).cloned().unwrap_or_default();
    root_dict.set("Type", "Outlines");
    set_family(&mut root_dict, &children[0], items);
    root_dict.set("Count", visible[0]);
    doc.objects.insert(root, Object::Dictionary(root_dict));
    for (i, item) in items.iter().enumerate() {
        let siblings = &children[parent[i]];
        let at = siblings.iter().position(|&s| s == i).unwrap_or(0);
        let Ok(dict) = doc.get_dictionary_mut(item.id) else {
            continue;
        };
        dict.set("Parent", id_of(parent[i]));
        for key in [b"Prev".as_slice(), b"Next", b"First", b"Last", b"Count"] {
            dict.remove(key);
        }
        if at > 0 {
            dict.set("Prev", items[siblings[at - 1]].id);
        }
        if let Some(&n) = siblings.get(at + 1) {
            dict.set("Next", items[n].id);
        }
        set_family(dict, &children[i + 1], items);
        if !children[i + 1].is_empty() {
            let v = visible[i + 1];
            dict.set("Count", if item.open { v } else { -v });
        }
    }
}

fn set_family(dict: &mut Dictionary, kids: &[usize], items: &[Bookmark]) {
    dict.remove(b"First");
    dict.remove(b"Last");
    if let (Some(&f), Some(&l)) = (kids.first(), kids.last()) {
        dict.set("First", items[f].id);
        dict.set("Last", items[l].id);
    }
}

/// A page label: style, prefix and the number of its first page.
#[derive(Clone)]
struct Label {
    style: Option<Vec<u8>>,
    prefix: Option<Vec<u8>>,
    start: i64,
}

impl Label {
    fn dict(&self) -> Dictionary {
        let mut d = Dictionary::new();
        if let Some(s) = &self.style {
            d.set("S", Object::Name(s.clone()));
        }
        if let Some(p) = &self.prefix {
            d.set("P", Object::String(p.clone(), StringFormat::Literal));
        }
        d.set("St", self.start);
        d
    }
}

/// A part's page labels by the page they start on.
fn page_labels(l: &Renumbered) -> BTreeMap<usize, Label> {
    let doc = &l.doc;
    let mut entries = Vec::new();
    if let Some(tree) = doc.catalog().ok().and_then(|c| c.get(b"PageLabels").ok()) {
        number_tree(doc, tree, &mut entries, 0);
    }
    entries
        .into_iter()
        .filter_map(|(k, v)| {
            let d = doc.dereference(&v).ok()?.1.as_dict().ok()?;
            Some((
                usize::try_from(k).ok()?,
                Label {
                    style: d
                        .get(b"S")
                        .and_then(Object::as_name)
                        .ok()
                        .map(<[u8]>::to_vec),
                    prefix: d
                        .get(b"P")
                        .ok()
                        .and_then(|p| p.as_str().ok())
                        .map(<[u8]>::to_vec),
                    start: d.get(b"St").and_then(Object::as_i64).unwrap_or(1),
                },
            ))
        })
        .collect()
}

/// The named destinations of every part that point at its own pages; the
/// first of a name wins.
fn named_dests(parts: &[Renumbered]) -> BTreeMap<Vec<u8>, Object> {
    let mut out = BTreeMap::new();
    for l in parts {
        let doc = &l.doc;
        let Some(tree) = doc
            .catalog()
            .ok()
            .and_then(|c| c.get(b"Names").ok())
            .and_then(|n| doc.dereference(n).ok())
            .and_then(|(_, n)| n.as_dict().ok())
            .and_then(|n| n.get(b"Dests").ok())
        else {
            continue;
        };
        let mut entries = Vec::new();
        name_tree(doc, tree, &mut entries, 0);
        for (name, value) in entries {
            let owned = dest_page(doc, &value).and_then(|p| l.owns_page(p));
            if owned == Some(true) {
                out.entry(name).or_insert(value);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bookmarks gathered from several parts nest by depth, whatever part
    /// they came from: an item under the last shallower one before it.
    #[test]
    fn bookmarks_nest_by_depth_and_count_what_is_open() {
        let mut doc = Document::with_version("1.7");
        let root = doc.add_object(Dictionary::new());
        let mut items = Vec::new();
        // Contents; a part (closed) with two statements, the second with a
        // section; a statement at depth 1 right after the front matter
        // would be a jump from 0 to 2 if its part were missing.
        for (depth, open) in [
            (0, true),
            (0, false),
            (1, true),
            (1, false),
            (2, true),
            (0, true),
            (2, true),
        ] {
            let id = doc.add_object(Dictionary::from_iter(vec![
                ("Title", Object::string_literal("x")),
                ("Next", Object::Reference((999, 0))),
            ]));
            items.push(Bookmark { id, depth, open });
        }
        write_outline(&mut doc, root, &items);
        let get = |i: usize, k: &[u8]| {
            doc.get_dictionary(items[i].id)
                .unwrap()
                .get(k)
                .ok()
                .cloned()
        };
        let r = |i: usize| Some(Object::Reference(items[i].id));
        // Top level: 0, 1, 5; the stale Next of the last is gone.
        assert_eq!(get(0, b"Next"), r(1));
        assert_eq!(get(1, b"Next"), r(5));
        assert_eq!(get(5, b"Next"), None);
        assert_eq!(get(5, b"Prev"), r(1));
        // Under 1: 2 and 3; under 3: 4; under 5: 6 (the jump nests).
        assert_eq!((get(1, b"First"), get(1, b"Last")), (r(2), r(3)));
        assert_eq!(get(4, b"Parent"), r(3));
        assert_eq!(get(6, b"Parent"), r(5));
        // Closed 1 would show 2, 3 (4 is under closed 3): -2. Closed 3: -1.
        assert_eq!(get(1, b"Count"), Some(Object::Integer(-2)));
        assert_eq!(get(3, b"Count"), Some(Object::Integer(-1)));
        assert_eq!(get(5, b"Count"), Some(Object::Integer(1)));
        assert_eq!(get(0, b"Count"), None);
        // The root shows 0, 1, 5 and 5's child.
        let root = doc.get_dictionary(root).unwrap();
        assert_eq!(root.get(b"Count").unwrap(), &Object::Integer(4));
        assert_eq!(root.get(b"First").unwrap(), &Object::Reference(items[0].id));
    }
}
