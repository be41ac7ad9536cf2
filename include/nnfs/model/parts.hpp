// nnfs/model/parts.hpp — the loss, accuracy and optimizer of a Model behind small
// run-time interfaces (as nnfs/layers/layer.hpp does for layers), and their registries. Each
// wrapper only forwards to the wrapped class, adding what the book's chapter 22 base classes
// add: the loss and accuracy accumulate over the batches of a pass (new_pass /
// calculate_accumulated). Every kind, the book's or your own, is an entry of its category's
// registry (name, class, factory, settings): the book's are added in nnfs/model/kinds.hpp, one
// line each; yours with register_loss, register_accuracy and register_optimizer, the same calls.
// This header includes none of the book's losses, accuracies or optimizers.
#pragma once

#include "nnfs/detail/kind_name.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/model/accuracy_part.hpp"
#include "nnfs/model/loss_part.hpp"
#include "nnfs/model/optimizer_part.hpp"
