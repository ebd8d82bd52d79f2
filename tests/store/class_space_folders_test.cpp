// SPDX-License-Identifier: AGPL-3.0-or-later
// « Dossiers partagés » of a class space: every route by role and with
// another space's ids, names, the quota, downloads, thumbnails and the
// trash (both engines).
#include "app/demo_school.h"
#include "core/i18n/format.h"
#include "services/class_space/class_space.h"
#include "services/class_space/folder_store.h"
#include "tests/support/app_driver.h"
#include <filesystem>
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::class_space_id;
using cartable::testing::contains;
using class_space::folders::clean_name;
using class_space::folders::NameSource;

namespace {

// A 40×20 red PNG.
std::string const PNG(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x28\x00\x00\x00\x14\x08\x02\x00\x00"
    "\x00\x70\x24\xe8\xec\x00\x00\x00\x24\x49\x44\x41\x54\x78\xda\x63\x38\x21\x27\x37\x20\x88\x61\xd4\xe2\x51\x8b\x47"
    "\x2d\x1e\xb5\x78\xd4\xe2\x51\x8b\x47\x2d\x1e\xb5\x78\xe4\x58\x0c\x00\x52\xe1\x2c\xae\x4e\xe1\x05\xb0\x00\x00\x00"
    "\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
    93);

long long item_id(AppDriver& driver, long long space, std::string const& name)
{
    auto lease = driver.services().database->lease();
    long long id = 0;
    lease.session() << "SELECT id FROM class_space_item WHERE space_id = :space AND name = :name", soci::use(space),
        soci::use(name), soci::into(id);
    return id;
}

// « 843 octets », as the page shows the size of an item.
std::string size_of(AppDriver& driver, long long item)
{
    auto lease = driver.services().database->lease();
    long long size = 0;
    lease.session() << "SELECT size FROM class_space_item WHERE id = :id", soci::use(item), soci::into(size);
    return i18n::format_size(static_cast<std::uint64_t>(size));
}

long long item_count(AppDriver& driver)
{
    auto lease = driver.services().database->lease();
    long long count = 0;
    lease.session() << "SELECT COUNT(*) FROM class_space_item", soci::into(count);
    return count;
}

std::size_t files_in(std::filesystem::path const& directory)
{
    std::error_code ignored;
    if (!std::filesystem::exists(directory, ignored))
        return 0;
    std::size_t count = 0;
    for (auto const& entry : std::filesystem::directory_iterator(directory, ignored)) {
        (void)entry;
        ++count;
    }
    return count;
}

std::filesystem::path stored_files(AppDriver& driver)
{
    return driver.services().config.data_directory / "class_space" / "files";
}

std::string tpro(AppDriver& driver)
{
    return "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
}

// Signs in and loads a page with the person's CSRF token.
void become(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
    driver.get("/");
}

http::Response upload(
    AppDriver& driver, std::string const& space, long long folder, std::vector<AppDriver::File> const& files)
{
    return driver.post_files(
        space + "/fichiers", { { "csrf", driver.csrf_token() }, { "dossier", std::to_string(folder) } }, files);
}

void allow_visitors(AppDriver& driver)
{
    become(driver, "samuel.beaumont");
    driver.get(tpro(driver) + "/membres");
    ASSERT_EQ(
        driver.post(tpro(driver) + "/parametres", { { "csrf", driver.csrf_token() }, { "visiteurs", "1" } }).status,
        303);
}

} // namespace

TEST(ClassSpaceFolderNames, UnsafeNamesAreRefusedWhenTypedAndMendedWhenUploaded)
{
    EXPECT_EQ(clean_name("../../etc/passwd", NameSource::Uploaded).value(), ".._.._etc_passwd");
    EXPECT_TRUE(clean_name("../../etc/passwd", NameSource::Typed).is_error());
    EXPECT_EQ(clean_name(std::string("rapport\0.pdf", 12), NameSource::Uploaded).value(), "rapport_.pdf");
    EXPECT_TRUE(clean_name(std::string("rapport\0.pdf", 12), NameSource::Typed).is_error());
    EXPECT_EQ(clean_name("bilan\x07\n\x1b[31m.txt", NameSource::Uploaded).value(), "bilan___[31m.txt");
    EXPECT_TRUE(clean_name("bilan\x07.txt", NameSource::Typed).is_error());
    EXPECT_TRUE(clean_name("dossier\\sous", NameSource::Typed).is_error());
    // A right-to-left override would disguise « exe.pdf » as « fdp.exe ».
    EXPECT_EQ(clean_name("facture\xE2\x80\xAE"
                         "fdp.exe",
                  NameSource::Uploaded)
                  .value(),
        "facture_fdp.exe");
    EXPECT_EQ(clean_name("  Compte rendu  ", NameSource::Typed).value(), "Compte rendu");
    EXPECT_EQ(clean_name("Re\xCC\x81sume\xCC\x81.odt", NameSource::Typed).value(), "Résumé.odt"); // NFC
    EXPECT_TRUE(clean_name("..", NameSource::Typed).is_error());
    EXPECT_TRUE(clean_name("   ", NameSource::Typed).is_error());
    EXPECT_EQ(clean_name("..", NameSource::Uploaded).value(), "fichier");
    auto long_name = std::string(150, 'a') + std::string(75, 'e') + "\xC3\xA9\xC3\xA9" + std::string(71, 'z') + ".pdf";
    ASSERT_GT(long_name.size(), 300u);
    EXPECT_EQ(clean_name(long_name, NameSource::Typed).error().message_key.substr(0, 23), "Ce nom est trop long : ");
    auto mended = clean_name(long_name, NameSource::Uploaded).value();
    EXPECT_LE(mended.size(), 255u);
    EXPECT_TRUE(mended.ends_with(".pdf"));
    EXPECT_EQ(clean_name(std::string(256, 'x'), NameSource::Typed).is_error(), true);
    EXPECT_EQ(clean_name(std::string(255, 'x'), NameSource::Typed).value().size(), 255u);

    class_space::folders::Item taken;
    taken.id = 1;
    taken.kind = class_space::folders::FILE;
    taken.name = "rapport.pdf";
    auto second = taken;
    second.id = 2;
    second.name = "rapport (2).pdf";
    class_space::folders::Tree tree({ taken, second });
    EXPECT_EQ(tree.free_name(0, "rapport.pdf"), "rapport (3).pdf");
    EXPECT_EQ(tree.free_name(0, "bilan.pdf"), "bilan.pdf");
    EXPECT_EQ(tree.free_name(5, "rapport.pdf"), "rapport.pdf");
    EXPECT_EQ(class_space::folders::quota_line(559104, 314572800), "Espace utilisé : 546 Ko, disponible : 299.5 Mo");

    // Folders first, then by name without case or accents.
    std::vector<class_space::folders::Item> items;
    for (auto const* name : { "zèbre.txt", "Évaluation.txt", "avis.txt", "Photos", "eau.txt", "Œuvres.pdf" }) {
        class_space::folders::Item item;
        item.id = static_cast<long long>(items.size()) + 1;
        item.kind = std::string(name) == "Photos" ? class_space::folders::FOLDER : class_space::folders::FILE;
        item.name = name;
        items.push_back(item);
    }
    class_space::folders::Tree sorted(items);
    std::vector<std::string> order;
    for (auto const* item : sorted.children(0))
        order.push_back(item->name);
    EXPECT_EQ(order,
        (std::vector<std::string> { "Photos", "avis.txt", "eau.txt", "Évaluation.txt", "Œuvres.pdf", "zèbre.txt" }));
}

TEST(ClassSpaceFolders, TheDemoFolderAndTheQuotaLine)
{
    AppDriver driver;
    become(driver, "louis.chamson");
    auto page = driver.get(tpro(driver) + "/dossiers");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Stage en entreprise"));
    EXPECT_TRUE(contains(page.body, "Ajouté par SAMUEL BEAUMONT"));
    auto const convention = item_id(driver, class_space_id(driver, "TPRO"), "Convention de stage 2026.pdf");
    EXPECT_TRUE(contains(page.body, "Espace utilisé : " + size_of(driver, convention) + ", disponible : 300 Mo"));
    EXPECT_TRUE(contains(page.body, "aria-current=\"page\">Dossiers partagés"));
    auto folder = item_id(driver, class_space_id(driver, "TPRO"), "Stage en entreprise");
    auto inside = driver.get(tpro(driver) + "/dossiers/" + std::to_string(folder));
    ASSERT_EQ(inside.status, 200);
    EXPECT_TRUE(contains(inside.body, "Convention de stage 2026.pdf"));
    auto pdf = driver.get(tpro(driver) + "/fichiers/"
        + std::to_string(item_id(driver, class_space_id(driver, "TPRO"), "Convention de stage 2026.pdf")));
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
}

TEST(ClassSpaceFolders, EveryRouteByRole)
{
    AppDriver driver;
    auto const base = tpro(driver);
    auto const space = class_space_id(driver, "TPRO");
    allow_visitors(driver);
    ASSERT_EQ(upload(driver, base, 0, { { "fichiers", "photo.png", PNG } }).status, 303);
    auto const folder = std::to_string(item_id(driver, space, "Stage en entreprise"));
    auto const file = std::to_string(item_id(driver, space, "photo.png"));
    ASSERT_NE(file, "0");
    struct Attempt {
        http::Method method;
        std::string path;
        int manager;
        int contributor;
        int visitor;
    };
    auto const Get = http::Method::Get;
    auto const Post = http::Method::Post;
    std::vector<Attempt> const attempts {
        { Get, base + "/dossiers", 200, 200, 200 },
        { Get, base + "/dossiers/" + folder, 200, 200, 200 },
        { Get, base + "/dossiers/corbeille", 200, 200, 403 },
        { Get, base + "/fichiers/" + file, 200, 200, 200 },
        { Get, base + "/fichiers/" + file + "/vignette", 200, 200, 200 },
        { Get, base + "/elements/" + file + "/modifier", 200, 403, 403 },
        { Post, base + "/elements/" + file + "/modifier", 303, 403, 403 },
        { Post, base + "/dossiers", 303, 303, 403 },
        { Post, base + "/fichiers", 303, 303, 403 },
        { Post, base + "/elements/" + file + "/restaurer", 404, 404, 403 }, // not in the trash
        { Post, base + "/elements/" + file + "/supprimer", 303, 403, 403 },
        { Post, base + "/elements/" + file + "/restaurer", 303, 403, 403 }, // now in the trash
        { Post, base + "/dossiers/corbeille/vider", 303, 403, 403 },
    };
    // The manager goes last: each of his changes is then seen by nobody else.
    std::vector<std::pair<std::string, int Attempt::*>> const people { { "louis.chamson", &Attempt::contributor },
        { "andre.chamson", &Attempt::visitor }, { "pauline.chamson", nullptr }, { "karim.benali", nullptr },
        { "achamson", nullptr } };
    int counter = 0;
    auto send = [&](Attempt const& attempt) {
        if (attempt.method == Get)
            return driver.get(attempt.path);
        auto name = "essai " + std::to_string(++counter);
        if (attempt.path.ends_with("/fichiers"))
            return upload(driver, base, 0, { { "fichiers", name + ".txt", "Bonjour" } });
        return driver.post(attempt.path,
            { { "csrf", driver.csrf_token() }, { "dossier", "0" },
                { "nom", attempt.path.ends_with("/modifier") ? "photo.png" : name }, { "description", "" },
                { "destination", "0" } });
    };
    for (auto const& [login, expected] : people) {
        become(driver, login);
        for (auto const& attempt : attempts) {
            if (attempt.path.ends_with("/restaurer") && attempt.manager == 303)
                continue; // in the trash only once the manager deleted it
            auto before = item_count(driver);
            auto response = send(attempt);
            EXPECT_EQ(response.status, expected ? attempt.*expected : 404) << login << " " << attempt.path;
            if (response.status >= 400) {
                EXPECT_EQ(item_count(driver), before) << login << " " << attempt.path;
            }
            if (!expected) {
                EXPECT_FALSE(contains(response.body, "photo.png")) << login << " " << attempt.path;
            }
        }
    }
    become(driver, "samuel.beaumont");
    for (auto const& attempt : attempts)
        EXPECT_EQ(send(attempt).status, attempt.manager) << "samuel.beaumont " << attempt.path;
    // Deleted, then restored by the manager before he emptied the trash.
    EXPECT_EQ(item_id(driver, space, "photo.png"), std::stoll(file));
}

TEST(ClassSpaceFolders, AnotherSpacesIdsAreNotFound)
{
    AppDriver driver;
    auto const space = class_space_id(driver, "TPRO");
    become(driver, "samuel.beaumont");
    ASSERT_EQ(upload(driver, tpro(driver), 0, { { "fichiers", "notes TPRO.txt", "confidentiel" } }).status, 303);
    auto const file = std::to_string(item_id(driver, space, "notes TPRO.txt"));
    auto const folder = std::to_string(item_id(driver, space, "Stage en entreprise"));
    // A student of T STMG, contributor of her own space, with TPRO's ids.
    become(driver, "pauline.chamson");
    auto const other = "/espaces/" + std::to_string(class_space_id(driver, "T STMG"));
    ASSERT_EQ(driver.get(other + "/dossiers").status, 200);
    auto before = item_count(driver);
    std::vector<std::string> const pages { other + "/dossiers/" + folder, other + "/fichiers/" + file,
        other + "/fichiers/" + file + "/vignette", other + "/elements/" + file + "/modifier" };
    for (auto const& path : pages) {
        auto response = driver.get(path);
        EXPECT_EQ(response.status, 404) << path;
        EXPECT_FALSE(contains(response.body, "confidentiel")) << path;
    }
    std::vector<std::string> const changes { other + "/elements/" + file + "/modifier",
        other + "/elements/" + file + "/supprimer", other + "/elements/" + file + "/restaurer",
        other + "/elements/" + folder + "/supprimer" };
    for (auto const& path : changes) {
        EXPECT_EQ(
            driver.post(path, { { "csrf", driver.csrf_token() }, { "nom", "x" }, { "destination", "0" } }).status, 404)
            << path;
    }
    // Into TPRO's folder through her own space, or a folder of hers into TPRO's.
    EXPECT_EQ(upload(driver, other, std::stoll(folder), { { "fichiers", "intrus.txt", "x" } }).status, 404);
    EXPECT_EQ(
        driver
            .post(other + "/dossiers", { { "csrf", driver.csrf_token() }, { "dossier", folder }, { "nom", "Intrus" } })
            .status,
        404);
    ASSERT_EQ(
        driver.post(other + "/dossiers", { { "csrf", driver.csrf_token() }, { "dossier", "0" }, { "nom", "Le mien" } })
            .status,
        303);
    auto mine = std::to_string(item_id(driver, class_space_id(driver, "T STMG"), "Le mien"));
    EXPECT_EQ(driver
                  .post(other + "/elements/" + mine + "/modifier",
                      { { "csrf", driver.csrf_token() }, { "nom", "Le mien" }, { "destination", folder } })
                  .status,
        422);
    EXPECT_EQ(item_count(driver), before + 1);
    EXPECT_EQ(driver.get(tpro(driver) + "/fichiers/" + file).status, 404);
}

TEST(ClassSpaceFolders, SeveralFilesAtOnceWithCollisionsNumbered)
{
    AppDriver driver;
    become(driver, "louis.chamson");
    auto const base = tpro(driver);
    auto const space = class_space_id(driver, "TPRO");
    auto sent = upload(driver, base, 0,
        { { "fichiers", "rapport.pdf", "%PDF-1.4 un" }, { "fichiers", "rapport.pdf", "%PDF-1.4 deux" },
            { "fichiers", "../../../etc/passwd", "root:x:0:0" } });
    ASSERT_EQ(sent.status, 303);
    EXPECT_EQ(sent.header("Location"), base + "/dossiers?envoye=3");
    ASSERT_EQ(upload(driver, base, 0, { { "fichiers", "rapport.pdf", "%PDF-1.4 trois" } }).status, 303);
    EXPECT_NE(item_id(driver, space, "rapport.pdf"), 0);
    EXPECT_NE(item_id(driver, space, "rapport (2).pdf"), 0);
    EXPECT_NE(item_id(driver, space, "rapport (3).pdf"), 0);
    EXPECT_NE(item_id(driver, space, ".._.._.._etc_passwd"), 0);
    auto page = driver.get(base + "/dossiers?envoye=3");
    EXPECT_TRUE(contains(page.body, "3 fichiers sont ajoutés."));
    EXPECT_TRUE(contains(page.body, "Ajouté par LOUIS CHAMSON"));
    // Stored by a random name, never the person's.
    for (auto const& entry : std::filesystem::directory_iterator(stored_files(driver)))
        EXPECT_FALSE(contains(entry.path().filename().string(), "passwd"));
    EXPECT_EQ(files_in(driver.services().config.data_directory / "uploads-in-test"), 0u);
    // No file chosen: a message on the form.
    auto none = upload(driver, base, 0, {});
    EXPECT_EQ(none.status, 422);
    EXPECT_TRUE(contains(none.body, "Choisissez au moins un fichier"));
}

TEST(ClassSpaceFolders, AnUploadPastTheQuotaLeavesNothing)
{
    AppDriver driver;
    auto const space = class_space_id(driver, "TPRO");
    {
        auto lease = driver.services().database->lease();
        lease.session() << "UPDATE class_space SET folder_quota_bytes = 20000 WHERE id = :id", soci::use(space);
    }
    become(driver, "samuel.beaumont");
    auto const base = tpro(driver);
    auto items = item_count(driver);
    auto stored = files_in(stored_files(driver));
    auto refused = upload(driver, base, 0,
        { { "fichiers", "petit.txt", "Bonjour" }, { "fichiers", "grand.bin", std::string(30000, 'x') } });
    EXPECT_EQ(refused.status, 413);
    EXPECT_TRUE(contains(refused.body, "dépasse la place libre de l&#39;espace"));
    EXPECT_TRUE(contains(refused.body, "Aucun fichier n&#39;est ajouté"));
    EXPECT_EQ(item_count(driver), items);
    EXPECT_EQ(files_in(stored_files(driver)), stored);
    EXPECT_EQ(files_in(driver.services().config.data_directory / "uploads-in-test"), 0u);
    EXPECT_EQ(files_in(driver.services().config.data_directory / "class_space" / "thumbnails"), 0u);
    // What fits still goes in.
    EXPECT_EQ(upload(driver, base, 0, { { "fichiers", "petit.txt", "Bonjour" } }).status, 303);
    EXPECT_EQ(item_count(driver), items + 1);
}

TEST(ClassSpaceFolders, DownloadsAreAttachmentsWithRanges)
{
    AppDriver driver;
    auto const space = class_space_id(driver, "TPRO");
    become(driver, "samuel.beaumont");
    auto const base = tpro(driver);
    ASSERT_EQ(upload(driver, base, 0,
                  { { "fichiers", "Évaluation n°2 été.txt", "0123456789" },
                      { "fichiers", "page.html", "<script>alert(1)</script>" },
                      { "fichiers", "dessin.svg", "<svg onload=alert(1)></svg>" },
                      { "fichiers", "faux.png", "<html><script>alert(1)</script>" } })
                  .status,
        303);
    auto text = driver.get(base + "/fichiers/" + std::to_string(item_id(driver, space, "Évaluation n°2 été.txt")));
    ASSERT_EQ(text.status, 200);
    EXPECT_EQ(text.header("Content-Type"), "text/plain; charset=utf-8");
    // X-Content-Type-Options: nosniff comes from the server: shared_folders.test.mjs.
    EXPECT_EQ(text.header("Content-Security-Policy"), "sandbox");
    EXPECT_TRUE(text.header("Content-Disposition").starts_with("attachment; "));
    EXPECT_TRUE(contains(
        text.header("Content-Disposition"), "filename*=UTF-8''%C3%89valuation%20n%C2%B02%20%C3%A9t%C3%A9.txt"));
    ASSERT_TRUE(text.file.has_value());
    EXPECT_EQ(text.file->length, 10u);
    for (auto const* name : { "page.html", "dessin.svg", "faux.png" }) {
        auto scriptable = driver.get(base + "/fichiers/" + std::to_string(item_id(driver, space, name)));
        EXPECT_EQ(scriptable.header("Content-Type"), "application/octet-stream") << name;
        EXPECT_TRUE(scriptable.header("Content-Disposition").starts_with("attachment; ")) << name;
        EXPECT_EQ(scriptable.header("Content-Security-Policy"), "sandbox") << name;
    }
    // Ranges (206, 416) go through the real server: tests/e2e/shared_folders.test.mjs.
}

TEST(ClassSpaceFolders, ImagesGetThumbnailsAndCorruptOnesNone)
{
    AppDriver driver;
    auto const space = class_space_id(driver, "TPRO");
    become(driver, "louis.chamson");
    auto const base = tpro(driver);
    ASSERT_EQ(
        upload(driver, base, 0,
            { { "fichiers", "affiche.png", PNG }, { "fichiers", "cassée.png", PNG.substr(0, 40) + "n'importe quoi" },
                { "fichiers", "photo.jpg", "\xFF\xD8\xFF\xE0 pas une image" } })
            .status,
        303);
    auto page = driver.get(base + "/dossiers");
    auto const good = std::to_string(item_id(driver, space, "affiche.png"));
    EXPECT_TRUE(contains(page.body, base + "/fichiers/" + good + "/vignette"));
    auto thumbnail = driver.get(base + "/fichiers/" + good + "/vignette");
    ASSERT_EQ(thumbnail.status, 200);
    EXPECT_EQ(thumbnail.header("Content-Type"), "image/jpeg");
    ASSERT_TRUE(thumbnail.file.has_value());
    EXPECT_GT(thumbnail.file->length, 100u);
    for (auto const* corrupt : { "cassée.png", "photo.jpg" }) {
        auto const id = item_id(driver, space, corrupt);
        ASSERT_NE(id, 0) << corrupt;
        auto const url = std::string(base).append("/fichiers/").append(std::to_string(id));
        auto const thumbnail_url = std::string(url).append("/vignette");
        EXPECT_FALSE(contains(page.body, thumbnail_url)) << corrupt;
        EXPECT_EQ(driver.get(thumbnail_url).status, 404) << corrupt;
        EXPECT_EQ(driver.get(url).status, 200) << corrupt;
    }
}

TEST(ClassSpaceFolders, TrashAndRestore)
{
    AppDriver driver;
    auto const space = class_space_id(driver, "TPRO");
    auto const base = tpro(driver);
    become(driver, "louis.chamson");
    ASSERT_EQ(driver
                  .post(base + "/dossiers",
                      { { "csrf", driver.csrf_token() }, { "dossier", "0" }, { "nom", "Photos" },
                          { "description", "Visite de l'entreprise" } })
                  .status,
        303);
    auto const photos = item_id(driver, space, "Photos");
    ASSERT_EQ(upload(driver, base, photos, { { "fichiers", "atelier.png", PNG } }).status, 303);
    auto const picture = item_id(driver, space, "atelier.png");
    // His own folder: into the trash, with what it holds.
    ASSERT_EQ(
        driver.post(base + "/elements/" + std::to_string(photos) + "/supprimer", { { "csrf", driver.csrf_token() } })
            .status,
        303);
    EXPECT_EQ(driver.get(base + "/dossiers/" + std::to_string(photos)).status, 404);
    EXPECT_EQ(driver.get(base + "/fichiers/" + std::to_string(picture)).status, 404);
    auto trash = driver.get(base + "/dossiers/corbeille");
    ASSERT_EQ(trash.status, 200);
    EXPECT_TRUE(contains(trash.body, "Photos"));
    EXPECT_FALSE(contains(trash.body, "Vider la corbeille")); // managers only
    // Meanwhile another « Photos » is made: the restored one is numbered.
    ASSERT_EQ(
        driver.post(base + "/dossiers", { { "csrf", driver.csrf_token() }, { "dossier", "0" }, { "nom", "Photos" } })
            .status,
        303);
    ASSERT_EQ(
        driver.post(base + "/elements/" + std::to_string(photos) + "/restaurer", { { "csrf", driver.csrf_token() } })
            .status,
        303);
    EXPECT_EQ(item_id(driver, space, "Photos (2)"), photos);
    EXPECT_EQ(driver.get(base + "/fichiers/" + std::to_string(picture)).status, 200);
    // Not the teacher's convention.
    auto const convention = item_id(driver, space, "Convention de stage 2026.pdf");
    EXPECT_EQ(
        driver
            .post(base + "/elements/" + std::to_string(convention) + "/supprimer", { { "csrf", driver.csrf_token() } })
            .status,
        403);

    // The manager deletes the file and empties the trash: row and bytes gone.
    become(driver, "samuel.beaumont");
    auto stored = files_in(stored_files(driver));
    ASSERT_EQ(
        driver.post(base + "/elements/" + std::to_string(picture) + "/supprimer", { { "csrf", driver.csrf_token() } })
            .status,
        303);
    ASSERT_EQ(driver.post(base + "/dossiers/corbeille/vider", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(item_id(driver, space, "atelier.png"), 0);
    EXPECT_EQ(files_in(stored_files(driver)), stored - 1);
    EXPECT_EQ(files_in(driver.services().config.data_directory / "class_space" / "thumbnails"), 0u);
    EXPECT_TRUE(contains(driver.get(base + "/dossiers/corbeille").body, "La corbeille est vide."));

    // The teacher's convention in the trash: the student may not restore it.
    ASSERT_EQ(
        driver
            .post(base + "/elements/" + std::to_string(convention) + "/supprimer", { { "csrf", driver.csrf_token() } })
            .status,
        303);
    become(driver, "louis.chamson");
    EXPECT_EQ(
        driver
            .post(base + "/elements/" + std::to_string(convention) + "/restaurer", { { "csrf", driver.csrf_token() } })
            .status,
        403);
    EXPECT_EQ(driver.get(base + "/fichiers/" + std::to_string(convention)).status, 404);
}

TEST(ClassSpaceFolders, RenameAndMoveWithClearRefusals)
{
    AppDriver driver;
    auto const space = class_space_id(driver, "TPRO");
    auto const base = tpro(driver);
    become(driver, "samuel.beaumont");
    auto create = [&](std::string const& name, long long parent) {
        return driver.post(base + "/dossiers",
            { { "csrf", driver.csrf_token() }, { "dossier", std::to_string(parent) }, { "nom", name } });
    };
    auto const stage = item_id(driver, space, "Stage en entreprise");
    ASSERT_EQ(create("Rapports", stage).status, 303);
    auto const reports = item_id(driver, space, "Rapports");
    ASSERT_EQ(create("Brouillons", reports).status, 303);
    auto const drafts = item_id(driver, space, "Brouillons");
    auto change = [&](long long item, std::string const& name, long long destination) {
        return driver.post(base + "/elements/" + std::to_string(item) + "/modifier",
            { { "csrf", driver.csrf_token() }, { "nom", name }, { "description", "Nouvelle description" },
                { "destination", std::to_string(destination) } });
    };
    struct Refusal {
        long long item;
        std::string name;
        long long destination;
        char const* message;
    };
    auto const convention = item_id(driver, space, "Convention de stage 2026.pdf");
    Refusal const refusals[] = {
        { stage, "Stage en entreprise", stage, "ni dans lui-même" },
        { stage, "Stage en entreprise", drafts, "ni dans l&#39;un de ses sous-dossiers" },
        { convention, "Rapports", stage, "contient déjà un élément nommé « Rapports »" },
        { convention, "../secret.pdf", stage, "ni « / »" },
        { convention, std::string("a\0b", 3), stage, "caractère de contrôle" },
        { convention, std::string(300, 'x'), stage, "Ce nom est trop long" },
        { convention, "   ", stage, "Donnez un nom." },
        { convention, "Convention.pdf", 999999, "Choisissez un dossier de destination" },
    };
    for (auto const& refusal : refusals) {
        auto response = change(refusal.item, refusal.name, refusal.destination);
        EXPECT_EQ(response.status, 422) << refusal.message;
        EXPECT_TRUE(contains(response.body, refusal.message)) << refusal.message << response.body.substr(0, 0);
    }
    EXPECT_NE(item_id(driver, space, "Convention de stage 2026.pdf"), 0);
    {
        auto lease = driver.services().database->lease();
        long long parent = 0;
        lease.session() << "SELECT COALESCE(parent_id, 0) FROM class_space_item WHERE id = :id", soci::use(stage),
            soci::into(parent);
        EXPECT_EQ(parent, 0);
    }
    // Moved into « Brouillons » and renamed.
    ASSERT_EQ(change(convention, "Convention signée.pdf", drafts).status, 303);
    auto page = driver.get(base + "/dossiers/" + std::to_string(drafts));
    EXPECT_TRUE(contains(page.body, "Convention signée.pdf"));
    EXPECT_TRUE(contains(page.body, "Nouvelle description"));
    // A folder's size is what it holds.
    auto stage_page = driver.get(base + "/dossiers");
    EXPECT_TRUE(contains(stage_page.body, "Stage en entreprise"));
    EXPECT_TRUE(contains(stage_page.body, "<td>" + size_of(driver, convention) + "</td>"));
    // A new folder with a taken name is refused, the form keeps what was typed.
    auto taken = create("Rapports", stage);
    EXPECT_EQ(taken.status, 422);
    EXPECT_TRUE(contains(taken.body, "contient déjà un élément nommé « Rapports »"));
    EXPECT_TRUE(contains(taken.body, "value=\"Rapports\""));
}

TEST(ClassSpaceFolders, TextIsEscapedEverywhere)
{
    AppDriver driver;
    auto const space = class_space_id(driver, "TPRO");
    auto const base = tpro(driver);
    become(driver, "louis.chamson");
    std::vector<std::string> const payloads { "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>", "javascript:alert(1)" };
    for (std::size_t index = 0; index < payloads.size(); ++index) {
        auto const& payload = payloads[index];
        // A typed name may not hold « / »: the payload without it.
        auto name = std::string("D").append(std::to_string(index)).append(payload);
        std::erase(name, '/');
        ASSERT_EQ(driver
                      .post(base + "/dossiers",
                          { { "csrf", driver.csrf_token() }, { "dossier", "0" }, { "nom", name },
                              { "description", payload } })
                      .status,
            303)
            << payload;
        ASSERT_EQ(upload(driver, base, 0, { { "fichiers", payload + ".txt", "x" } }).status, 303) << payload;
    }
    auto check = [&](std::string const& path) {
        auto page = driver.get(path);
        ASSERT_EQ(page.status, 200) << path;
        EXPECT_FALSE(contains(page.body, "<script>alert")) << path;
        // Plain text, escaped: the attributes show as text, never inside a tag.
        EXPECT_FALSE(contains(page.body, "<img src=x onerror=")) << path;
        EXPECT_FALSE(contains(page.body, "<svg onload=")) << path;
        EXPECT_FALSE(contains(page.body, "\"><svg")) << path;
        EXPECT_FALSE(contains(page.body, "href=\"javascript:")) << path;
    };
    auto const file = item_id(driver, space, "<script>alert(1)<_script>.txt");
    ASSERT_NE(file, 0);
    check(base + "/dossiers");
    check(base + "/dossiers/" + std::to_string(item_id(driver, space, "D0<script>alert(1)<script>")));
    check(base + "/elements/" + std::to_string(file) + "/modifier");
    check(base + "/elements/" + std::to_string(item_id(driver, space, "D1<img src=x onerror=alert(1)>")) + "/modifier");
    ASSERT_EQ(
        driver.post(base + "/elements/" + std::to_string(file) + "/supprimer", { { "csrf", driver.csrf_token() } })
            .status,
        303);
    check(base + "/dossiers/corbeille");
    EXPECT_TRUE(contains(driver.get(base + "/dossiers").body, "&lt;img src=x onerror=alert(1)&gt;"));
}

TEST(ClassSpaceFolders, AnArchivedSpaceIsReadOnly)
{
    AppDriver driver;
    auto const space = class_space_id(driver, "TPRO");
    auto const base = tpro(driver);
    {
        auto lease = driver.services().database->lease();
        lease.session() << "UPDATE class_space SET archived_at = 1 WHERE id = :id", soci::use(space);
    }
    auto const convention = std::to_string(item_id(driver, space, "Convention de stage 2026.pdf"));
    auto const download = base + "/fichiers/" + convention;
    auto const trash = base + "/elements/" + convention + "/supprimer";
    for (auto const* login : { "samuel.beaumont", "louis.chamson" }) {
        become(driver, login);
        auto page = driver.get(base + "/dossiers");
        ASSERT_EQ(page.status, 200) << login;
        EXPECT_FALSE(contains(page.body, "Ajouter des fichiers")) << login;
        EXPECT_EQ(driver.get(download).status, 200) << login;
        auto before = item_count(driver);
        EXPECT_EQ(upload(driver, base, 0, { { "fichiers", "archive.txt", "x" } }).status, 403) << login;
        EXPECT_EQ(
            driver.post(base + "/dossiers", { { "csrf", driver.csrf_token() }, { "dossier", "0" }, { "nom", "X" } })
                .status,
            403)
            << login;
        EXPECT_EQ(driver.post(trash, { { "csrf", driver.csrf_token() } }).status, 403) << login;
        EXPECT_EQ(item_count(driver), before) << login;
    }
}

TEST(ClassSpaceFolders, ALargeFolderIsPaged)
{
    AppDriver driver;
    become(driver, "samuel.beaumont");
    auto const base = tpro(driver);
    std::vector<AppDriver::File> files;
    for (int index = 1; index <= 100; ++index)
        files.push_back(
            { "fichiers", std::string("Devoir ").append(std::to_string(1000 + index)).append(".txt"), "x" });
    ASSERT_EQ(upload(driver, base, 0, files).status, 303);
    ASSERT_EQ(upload(driver, base, 0, { { "fichiers", "Devoir 1101.txt", "x" } }).status, 303);
    // More than a hundred at once is refused.
    files.push_back({ "fichiers", "Devoir 1102.txt", "x" });
    auto too_many = upload(driver, base, 0, files);
    EXPECT_EQ(too_many.status, 422);
    EXPECT_TRUE(contains(too_many.body, "Envoyez au plus 100 fichiers à la fois."));
    auto first = driver.get(base + "/dossiers");
    EXPECT_TRUE(contains(first.body, "Page 1 sur 2 (102 éléments)"));
    EXPECT_TRUE(contains(first.body, "Stage en entreprise")); // folders first
    EXPECT_TRUE(contains(first.body, "Devoir 1099.txt"));
    EXPECT_FALSE(contains(first.body, "Devoir 1100.txt"));
    EXPECT_TRUE(contains(first.body, "href=\"" + base + "/dossiers?page=2\" rel=\"next\""));
    auto second = driver.get(base + "/dossiers?page=2");
    EXPECT_TRUE(contains(second.body, "Devoir 1100.txt"));
    EXPECT_TRUE(contains(second.body, "Devoir 1101.txt"));
    EXPECT_TRUE(contains(second.body, "rel=\"prev\""));
    EXPECT_EQ(driver.get(base + "/dossiers?page=99").status, 200);
}
