// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/identity/passwords.h"
#include <condition_variable>
#include <mutex>
#include <sodium.h>
#include <stdexcept>

namespace cartable::identity {

struct PasswordHasher::Gate {
    std::mutex mutex;
    std::condition_variable free;
    int running { 0 };
    int waiting { 0 };
    int threads { 1 };
    int queue { 64 };
};

namespace {
class Permit {
public:
    explicit Permit(PasswordHasher::Gate& gate)
        : m_gate(gate)
    { }
    bool acquire()
    {
        std::unique_lock lock(m_gate.mutex);
        if (m_gate.running >= m_gate.threads && m_gate.waiting >= m_gate.queue)
            return false;
        ++m_gate.waiting;
        m_gate.free.wait(lock, [this] { return m_gate.running < m_gate.threads; });
        --m_gate.waiting;
        ++m_gate.running;
        m_held = true;
        return true;
    }
    ~Permit()
    {
        if (!m_held)
            return;
        std::lock_guard lock(m_gate.mutex);
        --m_gate.running;
        m_gate.free.notify_one();
    }

private:
    PasswordHasher::Gate& m_gate;
    bool m_held { false };
};

Error busy()
{
    return Error::too_many("Le service de connexion est très sollicité en ce moment. Réessayez dans quelques instants.",
        "password hash queue full");
}
} // namespace

PasswordHasher::PasswordHasher(int threads, int queue)
    : m_gate(std::make_unique<Gate>())
{
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium failed to initialise");
    m_gate->threads = threads;
    m_gate->queue = queue;
}

PasswordHasher::~PasswordHasher() = default;

ErrorOr<std::string> PasswordHasher::hash(std::string_view password)
{
    Permit permit(*m_gate);
    if (!permit.acquire())
        return busy();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE)
        != 0)
        return Error::internal("crypto_pwhash_str ran out of memory");
    return std::string(out);
}

ErrorOr<bool> PasswordHasher::verify(std::string_view stored_hash, std::string_view password)
{
    // An account without a usable hash is checked against a fixed one, so
    // that the time taken does not tell whether the account exists.
    static std::string const decoy = [] {
        char out[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(out, "decoy", 5, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE)
            != 0)
            return std::string();
        return std::string(out);
    }();
    bool usable = !stored_hash.empty() && stored_hash.size() < crypto_pwhash_STRBYTES;
    std::string hash(usable ? stored_hash : std::string_view(decoy));
    Permit permit(*m_gate);
    if (!permit.acquire())
        return busy();
    bool matches = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    return usable && matches;
}

ErrorOr<void> check_password_strength(std::string_view password)
{
    if (password.size() < 8)
        return Error::invalid("Le mot de passe doit compter au moins 8 caractères.");
    if (password.size() > 128)
        return Error::invalid("Le mot de passe ne doit pas dépasser 128 caractères.");
    return {};
}

} // namespace cartable::identity
