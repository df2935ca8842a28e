//! The store's Docker behaviour: reference resolution, `rmi` wording and garbage
//! collection, cache records, `images` filters and order, rootfs caching, and the
//! directory backend's persistence and lock.

use super::*;
use crate::image::config::History;
use crate::layer::WriteOptions;

fn image(store: &mut Store, files: &[(&str, &str)], label: Option<(&str, &str)>, created: &str) -> Digest {
    let mut v = Vfs::new();
    v.now = 1_700_000_000;
    for (p, c) in files {
        v.write(p, c.as_bytes().to_vec(), 0o644).unwrap();
    }
    let layer = Layer::from_diff(&Vfs::new(), &v, WriteOptions::default()).unwrap();
    store.put_layer(&layer).unwrap();
    let mut cfg = ImageConfig::scratch("amd64");
    cfg.created = Some(created.into());
    if let Some((k, val)) = label {
        cfg.config.labels.insert(k.into(), val.into());
    }
    cfg.push_layer(layer.diff_id().clone(), History::step(Some(created.into()), "COPY . / # buildkit", false));
    store.put_image(&cfg, "built").unwrap()
}

fn store() -> Store {
    let mut s = Store::memory();
    s.set_clock(|| (1_800_000_000, 5));
    s
}

#[test]
fn resolves_like_docker() {
    let mut s = store();
    let id = image(&mut s, &[("/a", "a")], None, "2023-11-14T22:13:20Z");
    s.tag(&id, "app").unwrap();
    for r in ["app", "app:latest", "docker.io/library/app:latest", id.as_str(), id.hex(), &id.hex()[..12], &id.hex()[..4], &format!("sha256:{}", &id.hex()[..6])] {
        assert_eq!(s.resolve(r).unwrap(), id, "{r}");
    }
    assert_eq!(s.resolve("nosuch").unwrap_err().to_string(), "No such image: nosuch:latest");
    assert_eq!(s.resolve("app:2").unwrap_err().to_string(), "No such image: app:2");
    assert_eq!(s.resolve("Bad").unwrap_err().kind, ImageErrorKind::InvalidReference);
    assert_eq!(s.image(&id).unwrap().last_tag_time.as_deref(), Some("2027-01-15T08:00:00.000000005Z"));
}

#[test]
fn same_config_same_id() {
    let mut a = store();
    let mut b = store();
    assert_eq!(image(&mut a, &[("/x", "1")], None, "2023-11-14T22:13:20Z"), image(&mut b, &[("/x", "1")], None, "2023-11-14T22:13:20Z"));
}

#[test]
fn rmi_wording_and_garbage_collection() {
    let mut s = store();
    let id = image(&mut s, &[("/a", "a")], None, "2023-11-14T22:13:20Z");
    s.tag(&id, "ref/min:latest").unwrap();
    s.tag(&id, "ref/min2:x").unwrap();
    let e = s.remove(id.short(), false).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories", id.short())
    );
    // a tag reference only untags while other tags remain
    assert_eq!(s.remove("ref/min2:x", false).unwrap(), vec![RemoveEvent::Untagged("ref/min2:x".into())]);
    s.tag(&id, "ref/min2:x").unwrap();
    let layer = s.image(&id).unwrap().diff_ids[0].clone();
    let ev: Vec<String> = s.remove(id.short(), true).unwrap().iter().map(|e| e.to_string()).collect();
    assert_eq!(
        ev,
        vec![
            "Untagged: ref/min2:x".to_string(),
            "Untagged: ref/min:latest".to_string(),
            format!("Deleted: {id}"),
            format!("Deleted: {layer}"),
        ]
    );
    assert!(s.images().unwrap().is_empty());
    assert!(s.backend.list_blobs().unwrap().is_empty());
}

#[test]
fn records_keep_their_blobs() {
    let mut s = store();
    let id = image(&mut s, &[("/a", "a")], None, "2023-11-14T22:13:20Z");
    let layer = s.image(&id).unwrap().diff_ids[0].clone();
    s.put_record("cache/step1", &serde_json::json!({ "layer": layer.to_string() })).unwrap();
    s.put_record("other", &serde_json::json!(1)).unwrap();
    assert_eq!(s.records("cache/").unwrap().len(), 1);
    assert_eq!(s.record("other").unwrap(), Some(serde_json::json!(1)));
    s.prune_dangling().unwrap();
    assert!(s.images().unwrap().is_empty());
    assert!(s.has_blob(&layer).unwrap(), "the cache record keeps its layer");
    s.remove_record("cache/step1").unwrap();
    let r = s.prune_dangling().unwrap();
    assert_eq!(r.reclaimed, 1);
    assert!(!s.has_blob(&layer).unwrap());
}

#[test]
fn list_filters_and_order() {
    let mut s = store();
    let old = image(&mut s, &[("/a", "a")], Some(("purpose", "practice")), "2023-01-01T00:00:00Z");
    let new = image(&mut s, &[("/b", "bb")], None, "2024-01-01T00:00:00Z");
    s.tag(&old, "old:1").unwrap();
    let all: Vec<Digest> = s.list(&[]).unwrap().into_iter().map(|x| x.record.id).collect();
    assert_eq!(all, vec![new.clone(), old.clone()]);
    let ids = |f: &str| -> Vec<Digest> { s.list(&[Filter::parse(f).unwrap()]).unwrap().into_iter().map(|x| x.record.id).collect() };
    assert_eq!(ids("dangling=true"), vec![new.clone()]);
    assert_eq!(ids("label=purpose=practice"), vec![old.clone()]);
    assert_eq!(ids("label=purpose"), vec![old.clone()]);
    assert_eq!(ids("reference=ol*"), vec![old.clone()]);
    assert_eq!(ids("before=old:1"), Vec::<Digest>::new());
    assert_eq!(ids("since=old:1"), vec![new.clone()]);
    assert!(Filter::parse("dangling=maybe").is_err());
    let table = crate::image::inspect::images_table(&s.list(&[]).unwrap(), 1_704_067_200 + 180, false, false);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0], "REPOSITORY   TAG       IMAGE ID       CREATED         SIZE");
    assert_eq!(lines[1], format!("<none>       <none>    {}   3 minutes ago   2B", new.short()));
}

#[test]
fn rootfs_applies_layers_and_caches() {
    let mut s = store();
    let id = image(&mut s, &[("/a", "a"), ("/b", "b")], None, "2023-11-14T22:13:20Z");
    let fs = s.rootfs(&id).unwrap();
    assert_eq!(fs.read("/b").unwrap().as_slice(), b"b");
    assert_eq!(s.rootfs(&id).unwrap().usage(), fs.usage());
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn directory_store_persists_and_locks() {
    let dir = std::env::temp_dir().join(format!("dfplay-store-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let id;
    {
        let mut s = Store::open_dir(&dir).unwrap();
        id = image(&mut s, &[("/a", "a")], None, "2023-11-14T22:13:20Z");
        s.tag(&id, "persist:1").unwrap();
        s.put_record("k", &serde_json::json!({"v": 1})).unwrap();
    }
    let s = Store::open_dir(&dir).unwrap();
    assert_eq!(s.resolve("persist:1").unwrap(), id);
    assert_eq!(s.record("k").unwrap(), Some(serde_json::json!({"v": 1})));
    assert!(std::fs::read_dir(dir.join("tmp")).unwrap().next().is_none(), "no temp files left");
    // a second process (here: a second open of the lock file) waits, then gives up clearly
    let a = DirBackend::open(&dir).unwrap();
    let b = DirBackend::open(&dir).unwrap().with_lock_timeout(std::time::Duration::from_millis(100));
    let held = a.lock().unwrap();
    let nested = a.lock().unwrap(); // the same holder may nest
    drop(nested);
    let Err(e) = b.lock() else { panic!("the second holder got the lock") };
    assert_eq!(e.kind, ImageErrorKind::Locked);
    assert!(e.to_string().contains("in use by another dfplay process"), "{e}");
    drop(held);
    assert!(b.lock().is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}
