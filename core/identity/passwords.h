// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/error.h"
#include <atomic>
#include <memory>
#include <string>
#include <string_view>

namespace cartable::identity {

// Argon2id (libsodium, INTERACTIVE limits: about 200 ms and 64 MiB each).
// At most `threads` hashes run at once and at most `queue` callers wait;
// beyond, callers are told to retry (a Monday-morning sign-in storm must not
// take every thread of the server).
class PasswordHasher {
public:
    PasswordHasher(int threads, int queue);
    ~PasswordHasher();

    ErrorOr<std::string> hash(std::string_view password);
    // False also for an empty or malformed stored hash; still spends the
    // time of a verification, so an unknown account answers as slowly.
    ErrorOr<bool> verify(std::string_view stored_hash, std::string_view password);

    // Bounds the hashes running and waiting (defined in passwords.cpp).
    struct Gate;

private:
    std::unique_ptr<Gate> m_gate;
};

// Local password rules: 8 to 128 characters.
ErrorOr<void> check_password_strength(std::string_view password);

} // namespace cartable::identity
