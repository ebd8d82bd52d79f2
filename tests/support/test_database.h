// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include <memory>

namespace cartable::testing {

// A fresh, migrated database for a store test, on the engine the test run
// names (CARTABLE_TEST_ENGINE=sqlite or postgresql; PostgreSQL's URL in
// CARTABLE_TEST_POSTGRESQL). Each call starts from an empty schema.
std::unique_ptr<Services> fresh_services();
db::Engine engine_under_test();

} // namespace cartable::testing
