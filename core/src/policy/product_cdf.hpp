#pragma once
// Private to the deterministic probabilities (policy/evaluator_quadrature.cpp): the distribution
// function of the product of two independent uncertain inputs, each uniform, log-uniform or
// triangular as the draws take them (estimate/sampling.hpp, InputLaw), so that a criterion that
// reads c x N x D + K (6ND with parameter and token intervals) is integrated over both at once.
#include "estimate/sampling.hpp"

namespace flopledger::inline v1::detail {

/// P(X Y <= z) for independent X, Y with the laws x, y (supports within [0, inf)).
///
/// G(z) = integral over X's support of f_X(n) F_Y(z / n) dn, split where X's density or
/// F_Y(z / n) changes formula (X's low, mode and high; z over Y's low, mode and high). Where
/// F_Y(z / n) is 0 or 1 on a piece the piece adds 0 or F_X's increase, exactly. Elsewhere the
/// piece is integrated over t = ln n, where f_X(e^t) e^t F_Y(z e^-t) is a sum of exponentials
/// (and of t for a log-uniform Y) of total type at most 4: 8-point Gauss-Legendre on sub-pieces
/// at most 1 long in t has an error below 1e-13 of the piece's mass (tests [product-cdf]
/// compare with an adaptive Simpson rule to 1e-10).
double productCdf(const InputLaw& x, const InputLaw& y, double z);

/// The density of a law at q (0 outside its support), as the draws' distribution: uniform,
/// log-uniform (uniform when low is 0) or triangular with mode `central`.
double densityOf(const InputLaw& s, double q);

}  // namespace flopledger::inline v1::detail
