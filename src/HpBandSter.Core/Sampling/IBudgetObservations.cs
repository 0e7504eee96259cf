using System.Text.Json;
using HpBandSter.Scheduling;

namespace HpBandSter.Sampling;

/// <summary>
/// What a model-based generator stores on one budget, and how it fits a model there: the part of
/// <see cref="BudgetModels{T}"/> that differs between BOHB (every observation as a row and a loss) and H2BO (each
/// distinct configuration with the losses it got).
/// </summary>
internal interface IBudgetObservations
{
    /// <summary>Stores one observation made on this budget.</summary>
    void Add(Observation observation);

    /// <summary>
    /// Fits the good/bad model on what is stored, drawing from <paramref name="random"/>; null when there is too
    /// little to fit (nothing is drawn then) or the fit fails.
    /// </summary>
    GoodBadModel? Fit(RandomSource random);

    /// <summary>Writes what is stored as properties of the budget's open snapshot object.</summary>
    void Write(Utf8JsonWriter writer);

    /// <summary>Reads what <see cref="Write"/> wrote into this empty instance.</summary>
    /// <exception cref="InvalidDataException">The stored observations are corrupt.</exception>
    void Read(JsonElement item, double budget);

    /// <summary>What is stored, for error messages ("12 observations").</summary>
    string Describe();
}
