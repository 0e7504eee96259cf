namespace HpBandSter.Spaces;

/// <summary>
/// A condition bound to vector positions. It reads the key vector: the value of each numeric hyperparameter, the index of
/// each categorical/ordinal one, NaN for inactive ones. Parents' activity is checked by the space before evaluation.
/// </summary>
internal abstract class ConditionEvaluator
{
    public abstract bool Evaluate(double[] keys);

    /// <summary>Parent compared with one key.</summary>
    internal sealed class Compare(int parent, ComparisonOperator op, double key) : ConditionEvaluator
    {
        public override bool Evaluate(double[] keys) => op.Holds(keys[parent], key);
    }

    /// <summary>Parent's key is one of a set.</summary>
    internal sealed class InSet(int parent, double[] set) : ConditionEvaluator
    {
        public override bool Evaluate(double[] keys)
        {
            var k = keys[parent];
            foreach (var s in set)
            {
                if (k == s)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Every part holds.</summary>
    internal sealed class All(ConditionEvaluator[] parts) : ConditionEvaluator
    {
        public override bool Evaluate(double[] keys)
        {
            foreach (var p in parts)
            {
                if (!p.Evaluate(keys))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Some part holds.</summary>
    internal sealed class Any(ConditionEvaluator[] parts) : ConditionEvaluator
    {
        public override bool Evaluate(double[] keys)
        {
            foreach (var p in parts)
            {
                if (p.Evaluate(keys))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
