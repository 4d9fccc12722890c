#pragma once
// The whole C++ API of FLOP Ledger in one include. Link flopledger::core (CMake) to use it.
// Public headers name no Qt and no JSON-library type and compile as C++17.
#include <flopledger/assessment.hpp>
#include <flopledger/data_source.hpp>
#include <flopledger/date.hpp>
#include <flopledger/diagnostic.hpp>
#include <flopledger/epoch_import.hpp>
#include <flopledger/estimate.hpp>
#include <flopledger/exact.hpp>
#include <flopledger/hardware_catalog.hpp>
#include <flopledger/manifest.hpp>
#include <flopledger/monte_carlo.hpp>
#include <flopledger/policy.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/provenance.hpp>
#include <flopledger/quantity.hpp>
#include <flopledger/record.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/report.hpp>
#include <flopledger/sensitivity.hpp>
#include <flopledger/stream.hpp>
#include <flopledger/threshold_timeline.hpp>
#include <flopledger/verdict_explain.hpp>
#include <flopledger/version.hpp>
