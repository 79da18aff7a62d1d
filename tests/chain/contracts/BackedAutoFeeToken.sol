// SPDX-License-Identifier: MIT
// Test double of Backed's rebasing xStock token (BackedAutoFeeTokenImplementation),
// written for Backcheck from the public interface in facts-onchain.md §2.1.
// It lives behind TransparentProxy, so all state is in the proxy's storage.
pragma solidity ^0.8.20;

interface ISanctionsList {
    function isSanctioned(address addr) external view returns (bool);
}

contract BackedAutoFeeToken {
    string public constant VERSION = "1.1.0";

    struct MultiplierUpdate {
        uint256 previousMultiplier;
        uint256 newMultiplier;
        uint256 activationTime;
    }

    bool private _initialized;
    string public name;
    string public symbol;
    string public terms;
    address public owner;
    address public minter;
    address public burner;
    address public pauser;
    address public multiplierUpdater;
    address public sanctionsList;
    bool public isPaused;

    mapping(address => uint256) private _shares;
    uint256 private _totalShares;
    mapping(address => mapping(address => uint256)) private _allowances;

    uint256 public lastMultiplier;
    uint256 public newMultiplier;
    uint256 public newMultiplierActivationTime;
    uint256 public lastMultiplierNonce;
    uint256 public newMultiplierNonce;
    uint256 public lastTimeFeeApplied;
    uint256 public feePerPeriod;
    uint256 public periodLength;
    MultiplierUpdate[] public multiplierUpdates;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event TransferShares(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event NewMinter(address newMinter);
    event NewBurner(address newBurner);
    event NewPauser(address newPauser);
    event NewMultiplierUpdater(address newMultiplierUpdater);
    event NewSanctionsList(address newSanctionsList);
    event NewTerms(string newTerms);
    event PauseModeChange(bool pauseMode);
    event MultiplierUpdated(uint256 value);
    event MultiplierScheduled(uint256 newMultiplier, uint256 activationTime);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    modifier onlyOwner() {
        require(msg.sender == owner, "Ownable: caller is not the owner");
        _;
    }

    function initialize(string calldata name_, string calldata symbol_, address owner_) external {
        require(!_initialized, "Initializable: contract is already initialized");
        _initialized = true;
        name = name_;
        symbol = symbol_;
        owner = owner_;
        terms = "https://www.backedassets.fi/legal-documentation";
        lastMultiplier = 1e18;
        newMultiplier = 1e18;
        periodLength = 1 days;
        lastTimeFeeApplied = block.timestamp;
        multiplierUpdates.push(MultiplierUpdate(1e18, 1e18, 0));
        emit OwnershipTransferred(address(0), owner_);
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    function multiplier() public view returns (uint256) {
        return block.timestamp >= newMultiplierActivationTime ? newMultiplier : lastMultiplier;
    }

    function multiplierNonce() public view returns (uint256) {
        return block.timestamp >= newMultiplierActivationTime ? newMultiplierNonce : lastMultiplierNonce;
    }

    function getCurrentMultiplier()
        public
        view
        returns (uint256 currentMultiplier, uint256 periodsPassed, uint256 currentMultiplierNonce)
    {
        currentMultiplier = multiplier();
        if (periodLength > 0) {
            periodsPassed = (block.timestamp - lastTimeFeeApplied) / periodLength;
        }
        if (feePerPeriod > 0) {
            for (uint256 i = 0; i < periodsPassed; i++) {
                currentMultiplier = (currentMultiplier * (1e18 - feePerPeriod)) / 1e18;
            }
        }
        currentMultiplierNonce = multiplierNonce();
    }

    function multiplierUpdatesLength() external view returns (uint256) {
        return multiplierUpdates.length;
    }

    function getSharesByUnderlyingAmount(uint256 amount) public view returns (uint256) {
        (uint256 m, , ) = getCurrentMultiplier();
        return (amount * 1e18) / m;
    }

    function getUnderlyingAmountByShares(uint256 shares) public view returns (uint256) {
        (uint256 m, , ) = getCurrentMultiplier();
        return (shares * m) / 1e18;
    }

    function totalSupply() external view returns (uint256) {
        return getUnderlyingAmountByShares(_totalShares);
    }

    function balanceOf(address account) external view returns (uint256) {
        return getUnderlyingAmountByShares(_shares[account]);
    }

    function sharesOf(address account) external view returns (uint256) {
        return _shares[account];
    }

    function allowance(address holder, address spender) external view returns (uint256) {
        return _allowances[holder][spender];
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        _allowances[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, getSharesByUnderlyingAmount(amount), amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        _checkSanctioned(msg.sender);
        uint256 allowed = _allowances[from][msg.sender];
        require(allowed >= amount, "ERC20: insufficient allowance");
        _allowances[from][msg.sender] = allowed - amount;
        _move(from, to, getSharesByUnderlyingAmount(amount), amount);
        return true;
    }

    function transferShares(address to, uint256 shares) external returns (bool) {
        _move(msg.sender, to, shares, getUnderlyingAmountByShares(shares));
        return true;
    }

    /// Test helper (not in Backed's interface): many transfers in one transaction.
    function batchTransfer(address[] calldata to, uint256[] calldata amounts) external {
        require(to.length == amounts.length, "length mismatch");
        for (uint256 i = 0; i < to.length; i++) {
            _move(msg.sender, to[i], getSharesByUnderlyingAmount(amounts[i]), amounts[i]);
        }
    }

    function mint(address account, uint256 amount) external {
        require(msg.sender == minter, "BackedToken: Only minter");
        require(!isPaused, "BackedToken: token transfer while paused");
        uint256 shares = getSharesByUnderlyingAmount(amount);
        _shares[account] += shares;
        _totalShares += shares;
        emit Transfer(address(0), account, amount);
        emit TransferShares(address(0), account, shares);
    }

    function burn(address account, uint256 amount) external {
        require(msg.sender == burner, "BackedToken: Only burner");
        require(account == msg.sender || account == address(this), "BackedToken: Cannot burn account");
        require(!isPaused, "BackedToken: token transfer while paused");
        uint256 shares = getSharesByUnderlyingAmount(amount);
        require(_shares[account] >= shares, "ERC20: burn amount exceeds balance");
        _shares[account] -= shares;
        _totalShares -= shares;
        emit Transfer(account, address(0), amount);
        emit TransferShares(account, address(0), shares);
    }

    function setPause(bool newPauseMode) external {
        require(msg.sender == pauser, "BackedToken: Only pauser");
        isPaused = newPauseMode;
        emit PauseModeChange(newPauseMode);
    }

    function updateMultiplierWithActivationTime(uint256 newMultiplier_, uint256 activationTime) external {
        require(msg.sender == multiplierUpdater, "BackedToken: Only multiplier updater");
        uint256 previous = multiplier();
        if (block.timestamp >= newMultiplierActivationTime) {
            lastMultiplier = newMultiplier;
            lastMultiplierNonce = newMultiplierNonce;
        }
        newMultiplier = newMultiplier_;
        newMultiplierActivationTime = activationTime;
        newMultiplierNonce += 1;
        multiplierUpdates.push(MultiplierUpdate(previous, newMultiplier_, activationTime));
        if (activationTime > block.timestamp) {
            emit MultiplierScheduled(newMultiplier_, activationTime);
        } else {
            emit MultiplierUpdated(newMultiplier_);
        }
    }

    function setFeePerPeriod(uint256 newFeePerPeriod) external onlyOwner {
        feePerPeriod = newFeePerPeriod;
    }

    function setMinter(address newMinter) external onlyOwner {
        minter = newMinter;
        emit NewMinter(newMinter);
    }

    function setBurner(address newBurner) external onlyOwner {
        burner = newBurner;
        emit NewBurner(newBurner);
    }

    function setPauser(address newPauser) external onlyOwner {
        pauser = newPauser;
        emit NewPauser(newPauser);
    }

    function setMultiplierUpdater(address newUpdater) external onlyOwner {
        multiplierUpdater = newUpdater;
        emit NewMultiplierUpdater(newUpdater);
    }

    function setSanctionsList(address newSanctionsList) external onlyOwner {
        sanctionsList = newSanctionsList;
        emit NewSanctionsList(newSanctionsList);
    }

    function setTerms(string calldata newTerms) external onlyOwner {
        terms = newTerms;
        emit NewTerms(newTerms);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function _checkSanctioned(address account) private view {
        if (sanctionsList != address(0)) {
            require(!ISanctionsList(sanctionsList).isSanctioned(account), "BackedToken: sanctioned");
        }
    }

    function _move(address from, address to, uint256 shares, uint256 amount) private {
        require(!isPaused, "BackedToken: token transfer while paused");
        require(to != address(0), "ERC20: transfer to the zero address");
        _checkSanctioned(from);
        _checkSanctioned(to);
        require(_shares[from] >= shares, "ERC20: transfer amount exceeds balance");
        _shares[from] -= shares;
        _shares[to] += shares;
        emit Transfer(from, to, amount);
        emit TransferShares(from, to, shares);
    }
}
