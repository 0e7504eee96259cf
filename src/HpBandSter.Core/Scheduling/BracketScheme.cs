namespace HpBandSter.Scheduling;

/// <summary>Which bracket each iteration of an optimizer runs.</summary>
public enum BracketScheme
{
    /// <summary>
    /// HyperBand's cycle of brackets, from the most aggressive (all stages) to a single stage at the maximum budget
    /// (<see cref="HyperbandSchedule.Bracket"/>). Used by BOHB and HyperBand.
    /// </summary>
    HyperBand,

    /// <summary>One stage at the maximum budget, as many configurations as one HyperBand iteration's budget buys
    /// (<see cref="HyperbandSchedule.RandomSearchBracket"/>).</summary>
    RandomSearch,

    /// <summary>H2BO's single most aggressive bracket, starting at the largest budget that has a model
    /// (<see cref="HyperbandSchedule.H2boBracket"/>).</summary>
    H2bo,
}
