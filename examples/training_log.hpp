// The book's progress lines, printed as Python's f-strings print them.
#pragma once

#include <nnfs/print/print.hpp>

#include <fmt/core.h>

namespace example {

/// f'epoch: {epoch}, acc: {accuracy:.3f}, loss: {loss:.3f}, lr: {lr}'
inline void print_epoch(long epoch, double accuracy, double loss, double lr) {
  fmt::print("epoch: {}, acc: {:.3f}, loss: {:.3f}, lr: {}\n", epoch, accuracy, loss, nnfs::repr(lr));
}

/// The same with the data/regularization split of chapters 14-17.
inline void print_epoch(long epoch, double accuracy, double loss, double data_loss, double regularization_loss,
                        double lr) {
  fmt::print("epoch: {}, acc: {:.3f}, loss: {:.3f} (data_loss: {:.3f}, reg_loss: {:.3f}), lr: {}\n", epoch, accuracy,
             loss, data_loss, regularization_loss, nnfs::repr(lr));
}

/// f'validation, acc: {accuracy:.3f}, loss: {loss:.3f}'
inline void print_validation(double accuracy, double loss) {
  fmt::print("validation, acc: {:.3f}, loss: {:.3f}\n", accuracy, loss);
}

}  // namespace example
