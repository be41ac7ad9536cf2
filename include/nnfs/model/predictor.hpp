// nnfs/model/predictor.hpp — predicting from several threads.
//
// A Model is one thread's object: predict() writes the layers' buffers, so two threads
// predicting with one Model race. model.predictor() copies the model's
// layers as they are (parameters, settings and the buffers of their last pass; no loss,
// optimizer or history) into a Predictor that only predicts; each thread takes one and predicts
// with it while the others do the same:
//
//     std::vector<nnfs::Predictor<float>> per_thread;
//     for (int t = 0; t < threads; ++t) per_thread.push_back(model.predictor());
//     // thread t: const nnfs::Matrix<float>& out = per_thread[t].predict(X_t);
//
// A predictor shares nothing with the model or with other predictors, so it gives the bits the
// model's predict gives, and training the model afterwards leaves it as it was. Make the
// predictors while no thread changes the model (predictor() only reads it, so several threads
// may make theirs at once). tests/test_concurrency.cpp runs this under ThreadSanitizer in CI.
#pragma once

#include "nnfs/types.hpp"

#include <cstddef>
#include <utility>

namespace nnfs {

template <class T>
class Model;

/// Made by Model<T>::predictor() (nnfs/model/model.hpp, which includes this header before it
/// defines Model: a Predictor holds a Model, which is complete wherever a Predictor is made).
template <class T>
class Predictor {
 public:
  /// Model::predict on this predictor's own copy of the layers: valid until the next call.
  const Matrix<T>& predict(const Eigen::Ref<const Matrix<T>>& X, std::size_t batch_size = 0) {
    return model_.predict(X, batch_size);
  }
  /// Model::predict_classes on this predictor's own copy of the layers.
  const Labels& predict_classes(const Eigen::Ref<const Matrix<T>>& X, std::size_t batch_size = 0) {
    return model_.predict_classes(X, batch_size);
  }
  /// The number of layers.
  std::size_t size() const { return model_.size(); }

 private:
  friend class Model<T>;
  explicit Predictor(Model<T> model) : model_(std::move(model)) {}
  Model<T> model_;
};

}  // namespace nnfs
