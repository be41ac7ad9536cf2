// nnfs/model/history.hpp — what a training run measured, epoch by epoch (Keras's `History`).
//
// Model::train fills one Record per epoch (and hands it to every callback's on_epoch_end, see
// nnfs/model/callback.hpp); plots read it (nnfs::plot::training_curves_svg) and it writes itself
// as CSV, one row per epoch:
//     epoch,loss,data_loss,regularization_loss,accuracy,learning_rate,validation_loss,validation_accuracy
//     1,1.0986,1.0986,0,0.35,0.05,,
// A value that was not measured (no validation data) is an empty field.
#pragma once

#include "nnfs/detail/file.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace nnfs {

struct History {
  /// One epoch's figures: loss and accuracy accumulated over all its training batches (the
  /// book's "training," line), the learning rate the optimizer used in its last step, and the
  /// validation figures when validation data was given.
  struct Record {
    std::size_t epoch = 0;  // 1-based, as the book prints it
    double loss = 0.0;      // data_loss + regularization_loss
    double data_loss = 0.0;
    double regularization_loss = 0.0;
    double accuracy = 0.0;
    double learning_rate = 0.0;
    std::optional<double> validation_loss;
    std::optional<double> validation_accuracy;
  };

  std::vector<Record> records;
  /// The warnings raised during the run (nnfs::StallWarning's, a callback's warn()), in order.
  std::vector<std::string> warnings;

  bool empty() const noexcept { return records.empty(); }
  std::size_t size() const noexcept { return records.size(); }
  void clear() noexcept {
    records.clear();
    warnings.clear();
  }

  /// The CSV text described above. Numbers are written with the shortest representation that
  /// reads back to the same double ({fmt}'s default), so nothing is lost.
  std::string csv() const {
    std::string out =
        "epoch,loss,data_loss,regularization_loss,accuracy,learning_rate,validation_loss,"
        "validation_accuracy\n";
    const auto optional_field = [](const std::optional<double>& v) {
      return v ? fmt::format("{}", *v) : std::string();
    };
    for (const Record& r : records)
      out += fmt::format("{},{},{},{},{},{},{},{}\n", r.epoch, r.loss, r.data_loss,
                         r.regularization_loss, r.accuracy, r.learning_rate,
                         optional_field(r.validation_loss), optional_field(r.validation_accuracy));
    return out;
  }

  /// Writes csv() to `path` (through a temporary file: a failed write leaves an existing file
  /// as it was). Throws std::runtime_error naming the path and the reason.
  void write_csv(const std::filesystem::path& path) const {
    detail::write_file_replacing("nnfs::History::write_csv", path, csv());
  }
};

}  // namespace nnfs
