// nnfs/model/model.hpp — the book's Model (chapters 18–22): layers in order, a loss, an optimizer and
// an accuracy, trained with mini-batches and checked on validation data.
//
//     nnfs::Model<float> model;
//     model.add(nnfs::Dense<float>(2, 512, nnfs::Regularization{0, 5e-4, 0, 5e-4}));
//     model.add(nnfs::ReLU<float>());
//     model.add(nnfs::Dropout<float>(0.1));
//     model.add(nnfs::Dense<float>(512, 3));
//     model.add(nnfs::Softmax<float>());
//     model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.05, 5e-5), nnfs::CategoricalAccuracy());
//     model.finalize();
//     model.train(X, y, /*epochs=*/10000, /*batch_size=*/0, /*print_every=*/100, nnfs::Validation<float>{X_test, y_test});
//
// The pieces: what train is told (model/options.hpp), the training step and loop
// (model/training.hpp), the checks on the data (model/checks.hpp), summary() (model/summary.hpp),
// and the kinds of layers, losses, accuracies and optimizers (model/kinds.hpp: one registry per
// category). Saving and loading are the io layer's (nnfs/io/model_file.hpp defines save, load,
// to_bytes and from_bytes): include it, or nnfs/nnfs.hpp, to call them.
//
// Book behaviour by default: batches in order (steps = ⌈N / batch_size⌉, the last one shorter:
// 469 steps of 128 for 60 000 samples), the book's printed lines (nnfs::BookLog), no shuffling.
// TrainOptions::shuffle reshuffles the samples every epoch with a RandomState.
//
// Buffers: every layer, the loss and the model keep their buffers, so once the batch shape is
// stable a training step and predict allocate nothing on the heap (tests/test_allocations.cpp).
#pragma once

#include "nnfs/core.hpp"
#include "nnfs/detail/compiled.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/layers/softmax.hpp"
#include "nnfs/losses/categorical_crossentropy.hpp"
#include "nnfs/losses/softmax_categorical_crossentropy.hpp"
#include "nnfs/metrics/accuracy.hpp"
#include "nnfs/model/callbacks.hpp"
#include "nnfs/model/checks.hpp"
#include "nnfs/model/fwd.hpp"
#include "nnfs/model/history.hpp"
#include "nnfs/model/kinds.hpp"
#include "nnfs/model/options.hpp"
#include "nnfs/model/parameter_pairs.hpp"
#include "nnfs/model/parts.hpp"
#include "nnfs/model/predictor.hpp"
#include "nnfs/model/summary.hpp"
#include "nnfs/model/training.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnfs {

template <class T>
class Model {
  static_assert(std::is_floating_point_v<T>, "Model<T> needs a floating-point scalar");

 public:
  using Parameters = std::vector<std::pair<Matrix<T>, Matrix<T>>>;  // (weights, biases) per layer

  Model() = default;
  Model(Model&&) noexcept = default;
  Model& operator=(Model&&) noexcept = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model() = default;

  // ------------------------------------------------------------------------- building

  /// Appends a layer: Dense, ReLU, Dropout, Softmax, Sigmoid or Linear of the model's scalar,
  /// or a layer of your own (output, dinputs, forward, backward: nnfs/layers/layer.hpp).
  /// Adding after finalize() un-finalizes the model (call finalize() again).
  template <class L>
  Model& add(L layer) {
    static_assert(detail::is_model_layer<L>::value,
                  "Model::add takes Dense, ReLU, Dropout, Softmax, Sigmoid, Linear or a layer of your own with "
                  "output, dinputs, forward(inputs) and backward(dvalues)");
    static_assert(std::is_same_v<typename detail::layer_traits<L>::scalar, T>,
                  "Model::add: the layer's scalar type differs from the model's");
    return add_layer(std::make_unique<LayerOf<L>>(std::move(layer)));
  }

  /// Appends a layer already behind the Layer<T> interface (a registered kind's factory makes
  /// one). Throws std::invalid_argument for a null pointer.
  Model& add_layer(std::unique_ptr<Layer<T>> layer) {
    if (!layer) throw std::invalid_argument("Model::add_layer: null layer");
    layers_.push_back(std::move(layer));
    finalized_ = false;
    return *this;
  }

  /// Sets the loss from one behind the ModelLoss<T> interface (a registered loss's factory).
  Model& set_loss(std::unique_ptr<detail::ModelLoss<T>> loss) {
    if (!loss) throw std::invalid_argument("Model::set_loss: null loss");
    loss_ = std::move(loss);
    finalized_ = false;
    return *this;
  }

  /// Sets the accuracy from one behind the ModelAccuracy<T> interface (a registered kind's factory).
  Model& set_accuracy(std::unique_ptr<detail::ModelAccuracy<T>> accuracy) {
    if (!accuracy) throw std::invalid_argument("Model::set_accuracy: null accuracy");
    accuracy_ = std::move(accuracy);
    return *this;
  }

  /// Sets the optimizer from one behind the ModelOptimizer<T> interface (a registered kind's factory).
  Model& set_optimizer(std::unique_ptr<detail::ModelOptimizer<T>> optimizer) {
    if (!optimizer) throw std::invalid_argument("Model::set_optimizer: null optimizer");
    optimizer_ = std::move(optimizer);
    return *this;
  }

  /// Sets any of the loss, the optimizer and the accuracy, in any order (the book's
  /// model.set(loss=..., optimizer=..., accuracy=...), each optional):
  ///     model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.05, 5e-5), nnfs::CategoricalAccuracy());
  ///     model.set(nnfs::MeanSquaredError<float>(), nnfs::RegressionAccuracy());   // a loaded model
  template <class... Parts>
  Model& set(Parts... parts) {
    static_assert(sizeof...(Parts) > 0, "Model::set: pass a loss, an optimizer and/or an accuracy");
    (set_part(std::move(parts)), ...);
    finalized_ = false;
    return *this;
  }

  /// Checks the model and prepares training (the book's finalize): at least one layer, each
  /// Dense taking the width the layer before it gives, the combined softmax/cross-entropy
  /// backward when the last layer is Softmax and the loss is CategoricalCrossentropy.
  /// Throws std::logic_error (no layers) or std::invalid_argument (widths) naming the layers.
  Model& finalize() {
    if (layers_.empty()) throw std::logic_error("Model::finalize: the model has no layers (call add() first)");
    Index width = -1;
    trainable_.clear();
    parameters_.clear();
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      try {
        width = layers_[i]->output_width(width);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("Model::finalize: layer {} ({}): {}", i, layers_[i]->describe(), e.what()));
      }
      if (layers_[i]->has_parameters()) {
        trainable_.push_back(layers_[i].get());
        layers_[i]->parameters(parameters_);
      }
    }
    // The book's combined Softmax/cross-entropy backward (chapter 9).
    combined_ = layers_.back()->template is<Softmax<T>>() && loss_ &&
                loss_->type() == std::type_index(typeid(CategoricalCrossentropy<T>));
    finalized_ = true;
    return *this;
  }

  bool finalized() const { return finalized_; }

  // ------------------------------------------------------------------------- training

  /// Trains as the book's Model.train(X, y, epochs=, batch_size=, print_every=, validation_data=),
  /// printing the book's lines. Returns the run's History.
  History train(const Eigen::Ref<const Matrix<T>>& X, Targets<T> y, std::size_t epochs = 1,
                std::size_t batch_size = 0, std::size_t print_every = 1,
                std::optional<Validation<T>> validation = std::nullopt) {
    TrainOptions<T> options;
    options.epochs = epochs;
    options.batch_size = batch_size;
    options.print_every = print_every;
    options.validation = validation;
    return train(X, y, options);
  }

  /// Trains with every option (callbacks, shuffling, logging) spelled out.
  /// Throws std::logic_error before finalize() or without a loss/optimizer; std::invalid_argument
  /// for inconsistent data (sample counts, widths, empty X, epochs or print_every of 0);
  /// nnfs::NonFiniteError when the loss stops being finite (a diverging run).
  History train(const Eigen::Ref<const Matrix<T>>& X, Targets<T> y, const TrainOptions<T>& options) {
    return detail::ModelTraining<T>::train(*this, X, y, options);
  }

  /// One optimizer step on one batch (Keras's train_on_batch), without printing. Returns the
  /// step's figures. Allocates nothing once the batch shape is stable.
  BatchInfo train_on_batch(const Eigen::Ref<const Matrix<T>>& X, Targets<T> y) {
    return detail::ModelTraining<T>::train_on_batch(*this, X, y);
  }

  /// The book's Model.evaluate(X_val, y_val, batch_size=): loss (without regularization) and
  /// accuracy accumulated over the batches, printed as "validation, acc: …, loss: …" when `print`
  /// (on `stream`; a null stream prints nothing).
  Evaluation evaluate(const Eigen::Ref<const Matrix<T>>& X, Targets<T> y, std::size_t batch_size = 0,
                      bool print = true, std::FILE* stream = stdout) {
    return detail::ModelTraining<T>::evaluate(*this, X, y, batch_size, print, stream);
  }

  /// The outputs of the last layer for every row of X, in evaluation mode (dropout off), computed
  /// batch_size rows at a time (0: all at once): the book's Model.predict. The result is the
  /// model's buffer, valid until the next predict; it is reused, so predicting batches of one
  /// shape allocates nothing.
  const Matrix<T>& predict(const Eigen::Ref<const Matrix<T>>& X, std::size_t batch_size = 0) {
    return detail::ModelTraining<T>::predict(*this, X, batch_size);
  }

  /// A copy of the model's layers for predicting on another thread: predict and
  /// predict_classes give the bits this model's give. A Model is one thread's object; give
  /// each thread a predictor of its own (made while no thread changes the model), and the
  /// threads predict at once without sharing anything (predictor.hpp).
  Predictor<T> predictor() const {
    Checks::require_layers(*this, "Model::predictor");
    Model copy;
    for (const auto& l : layers_) copy.layers_.push_back(l->clone());
    copy.finalize();
    return Predictor<T>(std::move(copy));
  }

  /// Class indices from outputs of a Softmax model (argmax per row, first index on ties), the
  /// book's output_layer_activation.predictions. Throws std::logic_error for other models.
  const Labels& predict_classes(const Eigen::Ref<const Matrix<T>>& X, std::size_t batch_size = 0) {
    Checks::require_layers(*this, "Model::predict_classes");
    if (!layers_.back()->template is<Softmax<T>>())
      throw std::logic_error(std::string("Model::predict_classes: the last layer is ") +
                             layers_.back()->name() + ", not Softmax");
    argmax_rows(predict(X, batch_size), class_predictions_);
    return class_predictions_;
  }

  /// The forward pass through every layer; the result is the last layer's output buffer.
  const Matrix<T>& forward(const Eigen::Ref<const Matrix<T>>& X, bool training) {
    Checks::require_layers(*this, "Model::forward");
    const Matrix<T>* out = &layers_.front()->forward(X, training);
    for (std::size_t i = 1; i < layers_.size(); ++i) out = &layers_[i]->forward(*out, training);
    return *out;
  }

  // ------------------------------------------------------------------------- parameters

  /// (weights, biases) of every layer with parameters, in order (the book's get_parameters).
  /// Throws std::logic_error for a layer whose parameters are not weights and biases.
  Parameters get_parameters() const { return detail::ModelParameterPairs<T>::get(*this); }

  /// Replaces the parameters of every layer with parameters (the book's set_parameters).
  /// Checks everything before changing anything: the count and every shape must match
  /// (std::invalid_argument naming the layer and both shapes), and every value must be finite.
  void set_parameters(const Parameters& p) { detail::ModelParameterPairs<T>::set(*this, p); }

  /// Number of trainable values (Σ weights + biases, and the parameters of layers of your own).
  Index parameter_count() const {
    Index count = 0;
    for (const auto& l : layers_) count += l->parameter_count();
    return count;
  }

  /// A table of the layers, their output shapes and parameter counts, then the loss, the
  /// optimizer and the accuracy (model/summary.hpp).
  std::string summary() const { return detail::ModelSummary<T>::summary(*this); }

  // ------------------------------------------------------------------------- files
  // Defined in nnfs/io/model_file.hpp (the io layer): include it, or nnfs/nnfs.hpp, to call them
  // (without it, a call does not compile: detail::ModelFileIO<T> is an incomplete type).

  /// Writes the whole model — layers, hyper-parameters, parameters, loss, accuracy, optimizer
  /// settings and, when asked, the optimizer's state — to `path` (format: nnfs/io/model_file.hpp),
  /// through a temporary file renamed over `path`: a failed save leaves an existing file as it
  /// was. Throws std::runtime_error when the file cannot be written, std::logic_error for a
  /// model without layers, std::invalid_argument for one that could not be loaded back.
  template <class IO = detail::ModelFileIO<T>>
  void save(const std::filesystem::path& path, bool include_optimizer_state = false) const {
    IO::save(*this, path, include_optimizer_state);
  }

  /// The model saved to `path`, finalized: predict and evaluate give what the saved model gave.
  /// Throws std::runtime_error naming the file and what is wrong (not a model file, a newer
  /// version, the other scalar type, a bad header line, truncation, a CRC mismatch, ...).
  template <class IO = detail::ModelFileIO<T>>
  static Model load(const std::filesystem::path& path) { return IO::load(path); }

  /// The bytes save() writes.
  template <class IO = detail::ModelFileIO<T>>
  std::string to_bytes(bool include_optimizer_state = false) const { return IO::to_bytes(*this, include_optimizer_state); }

  /// A model from the bytes of a model file; `what` names them in error messages.
  template <class IO = detail::ModelFileIO<T>>
  static Model from_bytes(std::string_view bytes, std::string_view what = "model bytes") {
    return IO::from_bytes(bytes, what);
  }

  // ------------------------------------------------------------------------- access

  std::size_t size() const { return layers_.size(); }
  Layer<T>& layer(std::size_t i) { return *layers_.at(i); }
  const Layer<T>& layer(std::size_t i) const { return *layers_.at(i); }

  /// Layer i as its concrete type, e.g. model.layer_as<nnfs::Dense<float>>(0).weights.
  /// Throws std::out_of_range for a bad index, std::invalid_argument for the wrong type.
  template <class L>
  L& layer_as(std::size_t i) {
    if (i >= layers_.size())
      throw std::out_of_range(fmt::format("Model::layer_as: index {} of a model with {} layers", i, layers_.size()));
    auto* l = dynamic_cast<LayerOf<L>*>(layers_[i].get());
    if (l == nullptr)
      throw std::invalid_argument(fmt::format("Model::layer_as: layer {} is {}", i, layers_[i]->describe()));
    return l->layer;
  }

  /// The width of X the model takes: that of the first layer that fixes its input width (a
  /// Dense: its inputs), −1 when no layer does.
  Index input_width() const {
    for (const auto& l : layers_)
      if (const Index w = l->input_width(); w >= 0) return w;
    return -1;
  }
  /// The width of the last layer's output, −1 when unknown.
  Index output_width() const { return output_width_for(-1); }
  /// The width of the last layer's output for inputs `input_width` wide (−1: not known).
  Index output_width_for(Index input_width) const {
    for (const auto& l : layers_) input_width = l->output_width(input_width);
    return input_width;
  }

  bool has_loss() const { return loss_ != nullptr; }
  bool has_optimizer() const { return optimizer_ != nullptr; }
  bool has_accuracy() const { return accuracy_ != nullptr; }
  detail::ModelLoss<T>* loss() { return loss_.get(); }
  detail::ModelOptimizer<T>* optimizer() { return optimizer_.get(); }
  detail::ModelAccuracy<T>* accuracy() { return accuracy_.get(); }
  const detail::ModelLoss<T>* loss() const { return loss_.get(); }
  const detail::ModelOptimizer<T>* optimizer() const { return optimizer_.get(); }
  const detail::ModelAccuracy<T>* accuracy() const { return accuracy_.get(); }

  /// The History of the last train() run.
  const History& history() const { return history_; }

  /// Σ over the layers with parameters of their regularization penalties (the book's
  /// loss.regularization_loss()).
  double regularization_loss() {
    double total = 0.0;
    for (Layer<T>* l : trainable_) total += l->regularization_loss();
    return total;
  }

 private:
  // ------------------------------------------------------------------------- set()

  template <class P>
  void set_part(P part) {
    if constexpr (detail::is_model_loss<P>::value) {
      static_assert(std::is_same_v<typename detail::loss_traits<P>::scalar, T>,
                    "Model::set: the loss's scalar type differs from the model's");
      loss_ = std::make_unique<detail::LossOf<P>>(std::move(part));
    } else if constexpr (detail::is_model_optimizer<P>::value) {
      optimizer_ = std::make_unique<detail::OptimizerOf<T, P>>(std::move(part));
    } else if constexpr (detail::is_model_accuracy<P>::value) {
      accuracy_ = std::make_unique<detail::AccuracyOf<T, P>>(std::move(part));
    } else {
      static_assert(detail::is_model_loss<P>::value, "Model::set takes losses, optimizers and accuracies");
    }
  }

  friend struct detail::ModelChecks<T>;
  friend struct detail::ModelTraining<T>;
  friend struct detail::ModelSummary<T>;
  friend struct detail::ModelParameterPairs<T>;
  using Checks = detail::ModelChecks<T>;

  std::vector<std::unique_ptr<Layer<T>>> layers_;
  std::vector<Layer<T>*> trainable_;       // the layers with parameters, in order (from finalize)
  std::vector<Parameter<T>> parameters_;  // their parameters, as the optimizer updates them
  std::unique_ptr<detail::ModelLoss<T>> loss_;
  std::unique_ptr<detail::ModelOptimizer<T>> optimizer_;
  std::unique_ptr<detail::ModelAccuracy<T>> accuracy_;
  // A moved-from model keeps no layers, loss or optimizer, so it must not say it is finalized.
  detail::ResetOnMove finalized_;
  detail::ResetOnMove combined_;
  History history_;

  // Buffers reused from step to step.
  SoftmaxCategoricalCrossentropy<T> combined_backward_;
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> order_;
  Matrix<T> batch_X_;
  Labels batch_labels_;
  Matrix<T> batch_targets_;
  Matrix<T> all_targets_;
  Labels class_predictions_;
  Matrix<T> value_predictions_;
  Matrix<T> predictions_out_;
  Matrix<T> aliased_input_;  // predict() of (part of) its own last result
};

NNFS_COMPILED_INSTANCE(class Model<float>)
NNFS_COMPILED_INSTANCE(class Model<double>)
// The classes that work on a Model (a member, a friend): their instances need it complete.
NNFS_COMPILED_INSTANCE(class Predictor<float>)
NNFS_COMPILED_INSTANCE(class Predictor<double>)
NNFS_COMPILED_INSTANCE(struct detail::ModelTraining<float>)
NNFS_COMPILED_INSTANCE(struct detail::ModelTraining<double>)
NNFS_COMPILED_INSTANCE(struct detail::ModelChecks<float>)
NNFS_COMPILED_INSTANCE(struct detail::ModelChecks<double>)
NNFS_COMPILED_INSTANCE(struct detail::ModelSummary<float>)
NNFS_COMPILED_INSTANCE(struct detail::ModelSummary<double>)
NNFS_COMPILED_INSTANCE(struct detail::ModelParameterPairs<float>)
NNFS_COMPILED_INSTANCE(struct detail::ModelParameterPairs<double>)

}  // namespace nnfs
