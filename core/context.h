// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/access/capability.h"
#include "core/background.h"
#include "core/config/config.h"
#include "core/db/database.h"
#include "core/http/message.h"
#include "core/identity/identity.h"
#include "core/identity/passwords.h"
#include "core/identity/sessions.h"
#include "core/timed_cache.h"
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cartable {

namespace view {
class Data;
}
namespace notify {
class Delivery;
}
struct Context;

inline constexpr char const* ANONYMOUS_CSRF_COOKIE = "cartable_csrf";

// An entry of a block of the Accueil (« Travail à faire », « Derniers
// messages », « Blogs & Forums »), as the service that owns it offers it.
struct HomeItem {
    std::string title;
    std::string meta; // « Pour le mardi 2 décembre – MATHÉMATIQUES », an author, a date
    std::string text;
    std::string url;
};

enum class HomeBlock { Homework, Messages, Spaces };

// What one service holds about a person, for « Mes données »: a JSON value
// (already serialised) and the files to join, by their name in the archive.
struct PersonalData {
    std::string json;
    std::vector<std::pair<std::string, std::filesystem::path>> files;
};
using PersonalDataExporter = std::function<ErrorOr<PersonalData>(Context&, identity::User const& person)>;

// What a service does with a former member's public contributions when
// their personal data is deleted, three months after they left: sign them
// « Ancien membre », or remove them if the person objected to their keeping
// (`erase`). Runs inside the deletion's transaction.
using DepartureHandler = std::function<void(soci::session&, identity::User const& former, bool erase)>;

// The entries a service offers for one block of the Accueil, for `subject`:
// the person, or for a guardian the child chosen in « Profil affiché ». The
// source checks that the person may see them.
using HomeBlockSource = std::function<ErrorOr<std::vector<HomeItem>>(Context&, identity::User const& subject)>;

// What the program holds for its whole life, shared by every request.
struct Services {
    Config config;
    std::unique_ptr<db::Database> database;
    access::CapabilityRegistry capabilities;
    std::unique_ptr<identity::PasswordHasher> password_hasher;
    // Structures by id: every framed page shows its structure's name.
    TimedCache<long long, identity::Structure> structures { 60 };
    // Public pages as seen without a session (the portal), by key.
    TimedCache<std::string, std::string> public_pages { 10 };
    // Who belongs where changes with the directory import, not between two
    // pages: the classes a person reaches and a guardian's children are
    // kept a minute (the import forgets them at once on its node).
    TimedCache<long long, std::vector<identity::SchoolClass>> classes_by_person { 60 };
    TimedCache<long long, std::vector<identity::User>> children_by_guardian { 60 };
    // What a service shows to many people alike (a structure's announcements
    // for a profile), kept ten seconds; the service that stores a key owns the
    // type behind its pointer.
    TimedCache<std::string, std::shared_ptr<void const>> shared_results { 10 };

    // What a service shows one person on every page (their shortcuts, their
    // linked accounts), kept a minute; the service forgets its key on change.
    TimedCache<std::string, std::shared_ptr<void const>> personal_results { 60 };
    // The version of the charter in force, read every ten seconds.
    TimedCache<int, long long> charter_versions { 10 };
    // Services that add to the frame of every page (the person's shortcuts,
    // their linked accounts) register here at start.
    std::vector<std::function<void(Context&, view::Data&)>> frame_contributors;
    // The services that feed the Accueil's blocks register here at start
    // (the lesson book, the messaging, the class spaces); a block without a
    // source shows the guide's sentence for a service not yet set up.
    std::map<HomeBlock, HomeBlockSource> home_block_sources;
    // Each service that keeps data about people registers, under a French
    // key (« publications »), what it exports for « Mes données ».
    std::vector<std::pair<std::string, PersonalDataExporter>> personal_data_exporters;
    // Each service that shows people's contributions under their name.
    std::vector<DepartureHandler> departure_handlers;
    // The e-mail delivery worker (core/notify/delivery.h) while `serve`
    // runs with SMTP configured; woken by whoever commits a message.
    std::shared_ptr<notify::Delivery> mail_delivery;
    std::shared_ptr<notify::Delivery> sms_delivery;

    // The structure of that id, from the cache or the database.
    std::optional<identity::Structure> structure(long long id, long long now);
    ErrorOr<std::vector<identity::SchoolClass>> classes_of(identity::User const& person, long long now);
    ErrorOr<std::vector<identity::User>> children_of(long long guardian_id, long long now);
    ErrorOr<long long> charter_version(long long now);
    // After a change of the directory.
    void forget_directory();

    // Last, so that its tasks stop before anything they use goes away.
    BackgroundTasks background;
};

// One request on its way through middleware and handler.
struct Context {
    http::Request& request;
    Services& services;
    long long now { 0 };
    std::optional<identity::ActiveSession> session;
    // Before sign-in, forms carry the token of a pre-session cookie
    // (double-submit); after, the token kept with the session.
    std::string anonymous_csrf_token;
    std::vector<http::SetCookie> cookies;
    // Signed in by a personal access token of the API (no cookie, no CSRF).
    bool by_token { false };

    bool signed_in() const { return session.has_value(); }
    identity::User const& user() const { return session->user; }
    // The token forms must carry. Before sign-in it is the pre-session
    // cookie's, made (and the cookie set) only when a page needs one, so
    // public pages stay the same for everyone and can be cached.
    std::string const& csrf_token();
    db::Database& database() { return *services.database; }
    // The address of the ENT for letters and e-mails: the configured public
    // URL, or the host the request came to; no trailing slash.
    std::string public_url() const;
    Config const& config() const { return services.config; }
};

// A person's result kept in `personal_results` (a minute, or until the
// service forgets its key): `read` (a database read returning ErrorOr<T>)
// runs only when it is not there. The menu's counts, shortcuts, linked
// accounts: read on every page, changed rarely.
template<typename T, typename Read>
ErrorOr<T> cached_personal_result(Context& context, std::string const& key, Read&& read)
{
    if (auto cached = context.services.personal_results.find(key, context.now))
        return *std::static_pointer_cast<T const>(*cached);
    auto value = TRY(context.database().read(std::forward<Read>(read)));
    context.services.personal_results.store(key, std::make_shared<T const>(value), context.now);
    return value;
}

} // namespace cartable
